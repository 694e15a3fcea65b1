"""The hash function behind cache keys, and a hasher that can explain itself.

BLAKE3 when the ``blake3`` package is installed (it is fast on large inputs),
SHA-256 from :mod:`hashlib` otherwise. Both give 32 bytes (64 hex digits),
which is also the key shape Bazel-style HTTP caches accept. The algorithm's
name is hashed into every key, so switching algorithms never mixes entries.
"""

from __future__ import annotations

import hashlib

_CHUNK = 1 << 20


def _blake3_factory():
    try:
        from blake3 import blake3
    except ImportError:
        return None
    return blake3


_BLAKE3 = _blake3_factory()
ALGORITHM = "blake3" if _BLAKE3 is not None else "sha256"


def new_hash():
    """A fresh hash object of :data:`ALGORITHM` (``update``/``hexdigest``)."""
    return _BLAKE3() if _BLAKE3 is not None else hashlib.sha256()


def file_digest(path) -> str:
    """Hex digest of a file's contents, read in chunks."""
    digest = new_hash()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_file(path) -> str:
    """SHA-256 of a file: what Bazel's ``/cas/`` addresses blobs by."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class KeyHasher:
    """Accumulates labelled parts of a cache key and remembers them.

    Each ``update(label, value)`` feeds the label and the value, both
    length-prefixed so that no two different sequences of parts hash alike,
    and records a line for ``zr cache key --explain``. This is the ``hasher``
    the ``zr_cache_key`` hook receives.
    """

    def __init__(self):
        self._hash = new_hash()
        self.parts: list = []
        self.update("algorithm", ALGORITHM)

    def update(self, label: str, value) -> None:
        data = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else bytes(value)
        label_bytes = label.encode("utf-8")
        for piece in (label_bytes, data):
            self._hash.update(len(piece).to_bytes(8, "big"))
            self._hash.update(piece)
        self.parts.append((label, value if isinstance(value, str) else f"<{len(data)} bytes>"))

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
