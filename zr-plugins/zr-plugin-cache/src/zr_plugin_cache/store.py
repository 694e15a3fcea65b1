"""The local cache store: one verified file per key, shared safely by processes.

Layout: ``<dir>/entries/<key[:2]>/<key>.zrc``. Each file is a one-line
header, ``ZRC1 <algorithm>:<digest of the rest>``, followed by the entry's
archive. Writes go to a unique temporary file in the same directory and are
renamed into place, so readers see a whole entry or none, and two processes
storing the same key at once both succeed (the last rename wins; both wrote
the same outputs). Reads verify the digest through the same open handle
they then restore from, so an entry replaced or corrupted meanwhile is
never half-read: a corrupted entry is removed and reported as a miss.
A file's mtime is its last use; eviction drops the least recently used
entries once the store exceeds its size limit.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from .hashing import ALGORITHM, new_hash

MAGIC = b"ZRC1 "
SUFFIX = ".zrc"
_CHUNK = 1 << 20
_STALE_TEMP_SECONDS = 3600


class StoreStats:
    def __init__(self, directory: Path, entries: int, size: int, max_size: int | None):
        self.directory = directory
        self.entries = entries
        self.size = size
        self.max_size = max_size


class LocalStore:
    """Cache entries on this machine, under ``directory``."""

    def __init__(self, directory, max_size: int | None = None):
        self.directory = Path(directory)
        self.entries_dir = self.directory / "entries"
        self.max_size = max_size

    def path_for(self, key: str) -> Path:
        return self.entries_dir / key[:2] / (key + SUFFIX)

    def open_verified(self, key: str):
        """An open binary file positioned at the entry's archive, or None.

        None for a missing entry and for a corrupted one (which is deleted).
        The caller closes the file. Reading marks the entry as recently used.
        """
        path = self.path_for(key)
        try:
            handle = open(path, "rb")
        except FileNotFoundError:
            return None
        try:
            if not _verify(handle):
                handle.close()
                self._discard(path)
                return None
        except OSError:
            handle.close()
            return None
        try:
            os.utime(path)
        except OSError:
            pass
        return handle

    def put(self, key: str, archive_path) -> Path:
        """Store the archive at ``archive_path`` under ``key``, atomically."""
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = new_hash()
        with open(archive_path, "rb") as source:
            for chunk in iter(lambda: source.read(_CHUNK), b""):
                digest.update(chunk)
        header = MAGIC + f"{ALGORITHM}:{digest.hexdigest()}\n".encode()
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out, open(archive_path, "rb") as source:
                out.write(header)
                shutil.copyfileobj(source, out, _CHUNK)
            os.replace(temp, path)
        except BaseException:
            _unlink(temp)
            raise
        if self.max_size is not None:
            self.evict(self.max_size)
        return path

    def remove(self, key: str) -> None:
        self._discard(self.path_for(key))

    def _discard(self, path: Path) -> None:
        _unlink(path)

    def _entries(self):
        """(path, size, last used) of every entry; skips files being replaced."""
        found = []
        if not self.entries_dir.is_dir():
            return found
        for shard in self.entries_dir.iterdir():
            if not shard.is_dir():
                continue
            for item in shard.iterdir():
                try:
                    status = item.stat()
                except FileNotFoundError:
                    continue
                if item.name.endswith(SUFFIX):
                    found.append((item, status.st_size, status.st_mtime))
                elif item.name.startswith(".tmp-") and time.time() - status.st_mtime > _STALE_TEMP_SECONDS:
                    _unlink(item)  # left by a process that was killed mid-write
        return found

    def evict(self, max_size: int) -> int:
        """Delete least recently used entries until the store fits; bytes freed."""
        entries = self._entries()
        total = sum(size for _, size, _ in entries)
        freed = 0
        for path, size, _ in sorted(entries, key=lambda e: e[2]):
            if total <= max_size:
                break
            _unlink(path)
            total -= size
            freed += size
        return freed

    def clean(self, older_than: float | None = None) -> tuple:
        """Delete entries unused for ``older_than`` seconds (all if None).

        Returns (entries removed, bytes freed).
        """
        cutoff = None if older_than is None else time.time() - older_than
        removed = freed = 0
        for path, size, used in self._entries():
            if cutoff is None or used < cutoff:
                _unlink(path)
                removed += 1
                freed += size
        return removed, freed

    def stats(self) -> StoreStats:
        entries = self._entries()
        return StoreStats(self.directory, len(entries), sum(s for _, s, _ in entries),
                          self.max_size)


def _verify(handle) -> bool:
    """Check the header's digest against the rest; leave ``handle`` at the archive."""
    header = handle.readline(256)
    if not header.startswith(MAGIC) or not header.endswith(b"\n"):
        return False
    algorithm, _, expected = header[len(MAGIC):-1].decode("ascii", "replace").partition(":")
    if algorithm == "sha256":
        import hashlib

        digest = hashlib.sha256()
    elif algorithm == ALGORITHM:
        digest = new_hash()
    else:
        return False
    start = handle.tell()
    for chunk in iter(lambda: handle.read(_CHUNK), b""):
        digest.update(chunk)
    handle.seek(start)
    return digest.hexdigest() == expected


def _unlink(path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
