"""``file.exists``, ``file.newer`` and ``file.hash``: questions about files.

Relative paths are resolved against the evaluation context's ``cwd`` (the
task's working directory), as the task's own command would see them.
"""

from __future__ import annotations

import os

from zr.errors import ZrError

from .arguments import expect_text


def file_exists(ctx, *args) -> bool:
    (path,) = expect_text(args, "path")
    return os.path.exists(ctx.path(path))


def file_newer(ctx, *args) -> bool:
    """True when ``target`` is missing or older than the newest file in ``source``.

    Directories are walked: a directory's time is that of the newest file
    under it (its own time when it holds no files), so ``file.newer("dist",
    "src")`` is true as soon as any file in ``src`` was modified after
    everything in ``dist``.
    """
    target, source = expect_text(args, "target", "source")
    source_path = ctx.path(source)
    if not os.path.exists(source_path):
        raise ZrError(f"source {source!r} does not exist")
    target_path = ctx.path(target)
    if not os.path.exists(target_path):
        return True
    return newest_mtime(target_path) < newest_mtime(source_path)


def newest_mtime(path: str) -> int:
    """The newest modification time (ns) of ``path`` or any file under it."""
    newest = os.stat(path).st_mtime_ns
    if not os.path.isdir(path):
        return newest
    files_newest = None
    for directory, _subdirs, files in os.walk(path):
        for name in files:
            try:
                mtime = os.stat(os.path.join(directory, name)).st_mtime_ns
            except OSError:  # vanished or a dangling link: not an input
                continue
            if files_newest is None or mtime > files_newest:
                files_newest = mtime
    return newest if files_newest is None else files_newest


#: file.hash reads at most this much: a condition is a quick question, and
#: an unbounded read (a device, a growing log) would hold the run.
MAX_HASHED_BYTES = 1 << 30


def file_hash(ctx, *args) -> str:
    """The SHA-256 of a regular file's contents, in hex (compare it with a
    known value). Devices, FIFOs and sockets are refused before opening
    (opening a FIFO would wait for a writer; ``/dev/zero`` never ends), and
    files over :data:`MAX_HASHED_BYTES` too."""
    import hashlib
    import stat

    (path,) = expect_text(args, "path")
    full_path = ctx.path(path)
    try:
        status = os.stat(full_path)
    except FileNotFoundError:
        raise ZrError(f"{path!r} does not exist") from None
    except OSError as error:
        raise ZrError(f"cannot read {path!r}: {error.strerror}") from None
    if stat.S_ISDIR(status.st_mode):
        raise ZrError(f"{path!r} is a directory; give a file")
    if not stat.S_ISREG(status.st_mode):
        raise ZrError(f"{path!r} is not a regular file (a device, FIFO or socket)")
    if status.st_size > MAX_HASHED_BYTES:
        raise ZrError(f"{path!r} is larger than file.hash reads (1 GiB)")
    digest = hashlib.sha256()
    try:
        fd = os.open(full_path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ZrError(f"{path!r} is not a regular file")
            remaining = MAX_HASHED_BYTES + 1
            for block in iter(lambda: handle.read(min(1 << 16, remaining)), b""):
                remaining -= len(block)
                if remaining <= 0:
                    raise ZrError(f"{path!r} is larger than file.hash reads (1 GiB)")
                digest.update(block)
    except FileNotFoundError:
        raise ZrError(f"{path!r} does not exist") from None
    except OSError as error:
        raise ZrError(f"cannot read {path!r}: {error.strerror}") from None
    return digest.hexdigest()
