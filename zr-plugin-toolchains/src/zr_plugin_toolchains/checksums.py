"""Reading published checksum files.

Formats seen upstream: ``<sha256>  <name>`` (sha256sum), ``<sha256> *<name>``
(binary mode; mise#3112 was a false mismatch from mis-parsing it),
``./name`` and sub-paths (``win-x64/node.exe``), and a bare ``<sha256>``
(go's and deno's one-file ``.sha256``/``.sha256sum``).
"""

from __future__ import annotations

import hashlib
import re

_LINE = re.compile(r"^([0-9a-fA-F]{64})(?:\s+\*?(?:\./)?(\S.*?))?\s*$")


def find_sha256(text: str, name: str) -> str | None:
    """The SHA-256 listed for ``name`` (or the only one in a one-line file)."""
    lone = None
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if not match:
            continue
        digest, listed = match.group(1).lower(), match.group(2)
        if listed is None:
            lone = digest
        elif listed == name or listed.rsplit("/", 1)[-1] == name:
            return digest
    return lone


def file_sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
