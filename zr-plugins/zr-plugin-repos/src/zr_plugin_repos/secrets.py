"""Credentials never leave zr: user information in URLs is masked in every text.

``https://ci:s3cret@host/x.git`` becomes ``https://ci:***@host/x.git`` and
``https://TOKEN@host/x.git`` becomes ``https://***@host/x.git``. Every
message, table and JSON document the plugin prints, git's own error output
included, passes through :func:`mask` first.
"""

from __future__ import annotations

import re

# scheme://userinfo@ -- userinfo stops at the first '/', '@' or whitespace.
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<info>[^/@\s]+)@")


def _masked(match: re.Match) -> str:
    user, sep, _ = match.group("info").partition(":")
    shown = f"{user}:***" if sep else "***"
    return f"{match.group('scheme')}{shown}@"


def mask(text: str) -> str:
    """``text`` with the secret part of every URL's user information replaced."""
    return _USERINFO.sub(_masked, text) if "@" in text else text
