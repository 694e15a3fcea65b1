"""Keep secrets and binary noise out of what zr prints about a remote.

A ``[cache.remote] url`` may carry credentials (``http://user:pw@host/``,
``?token=...``) and a broken server may answer with binary garbage; every
message, log line and JSON field that names a remote goes through
:func:`mask_url` or :func:`printable`.
"""

from __future__ import annotations

import re

# Query parameters whose values are credentials by their name.
_SECRET_PARAM = re.compile(
    r"(?i)([?&;](?:[a-z0-9_.-]*(?:token|key|secret|password|passwd|pwd|auth|signature|sig|"
    r"credential|session)[a-z0-9_.-]*)=)[^&;#\s'\"]*")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s'\"]+@")
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]+")


def mask_url(text: str) -> str:
    """``text`` with the userinfo of every URL and the values of
    credential-like query parameters replaced by ``***``."""
    text = _USERINFO.sub(r"\1***@", text)
    return _SECRET_PARAM.sub(r"\1***", text)


def printable(text: str, limit: int = 200) -> str:
    """One masked line of at most ``limit`` characters: control and
    non-ASCII bytes (a raw binary status line) become ``?``."""
    text = _UNPRINTABLE.sub("?", mask_url(str(text)))
    return text if len(text) <= limit else text[:limit] + "..."
