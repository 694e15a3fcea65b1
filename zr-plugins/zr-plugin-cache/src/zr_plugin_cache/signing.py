"""Signed remote entries: an HMAC-SHA256 tag, computed as Turborepo does.

Turborepo's ``x-artifact-tag`` is ``base64(HMAC-SHA256(secret, hash + team +
body))`` (standard alphabet, padded), where ``hash`` is the artifact's key and
``team`` the team id, both as UTF-8 bytes. zr uses the same construction for
every backend (with an empty team where a backend has none), so an entry
cannot be moved to another key or team, or altered, without the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Iterable, Iterator

from .remote import SignatureError

_CHUNK = 1 << 20


def _mac(secret: bytes, key: str, team: str):
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    mac.update(key.encode("utf-8"))
    mac.update(team.encode("utf-8"))
    return mac


def artifact_tag(secret: bytes, key: str, team: str, path) -> str:
    """The tag of the file at ``path`` stored under ``key`` for ``team``."""
    mac = _mac(secret, key, team)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            mac.update(chunk)
    return base64.b64encode(mac.digest()).decode("ascii")


def verified_chunks(chunks: Iterable[bytes], secret: bytes, key: str, team: str,
                    tag) -> Iterator[bytes]:
    """Yield ``chunks``, then raise :class:`SignatureError` if ``tag`` is
    missing or wrong. Consumers must not use the bytes before the end."""
    if not tag:
        raise SignatureError("entry is not signed")
    try:
        expected = base64.b64decode(tag + "=" * (-len(tag) % 4), validate=True)
    except ValueError:
        raise SignatureError("entry has an unreadable signature") from None
    mac = _mac(secret, key, team)
    for chunk in chunks:
        mac.update(chunk)
        yield chunk
    if not hmac.compare_digest(mac.digest(), expected):
        raise SignatureError("entry's signature does not match (tampered, or signed with another key)")
