"""Cache entries as tar archives: pack a task's outputs and log, unpack safely.

An entry is a gzipped tar holding ``meta.json`` (who made it and when),
``log`` (the captured output, replayed on a hit) and ``files/<path>`` for
every output, paths relative to the project root. Entries can come from a
shared remote, so unpacking trusts nothing: it refuses absolute paths,
``..``, links that resolve outside the project, hard links and device
files, extracts into a temporary directory inside the project, and only
then moves each file into place, so a bad archive changes nothing.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

FILES_PREFIX = "files/"
META_NAME = "meta.json"
LOG_NAME = "log"


class ArchiveError(Exception):
    """The archive is unreadable or unsafe; nothing was restored."""


class Unpacked:
    """What a restored entry held besides its files."""

    def __init__(self, meta: dict, log: bytes, files: list):
        self.meta = meta
        self.log = log
        self.files = files


def pack(destination, project_root, files, meta: dict, log_path=None) -> None:
    """Write an entry to ``destination``.

    ``files`` are posix paths relative to ``project_root``: regular files and
    symlinks (stored as links, never followed). Owners, groups and access
    times are left out so the same outputs pack the same way everywhere.
    """
    root = Path(project_root)
    with tarfile.open(destination, "w:gz", compresslevel=3, format=tarfile.PAX_FORMAT) as tar:
        _add_bytes(tar, META_NAME, json.dumps(meta, sort_keys=True).encode())
        if log_path is not None and os.path.exists(log_path):
            with open(log_path, "rb") as log:
                _add_bytes(tar, LOG_NAME, log.read())
        for relative in files:
            full = root / relative
            info = tarfile.TarInfo(FILES_PREFIX + relative)
            status = full.lstat()
            info.mtime = int(status.st_mtime)
            info.mode = stat.S_IMODE(status.st_mode)
            if stat.S_ISLNK(status.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(full)
                tar.addfile(info)
            elif stat.S_ISREG(status.st_mode):
                info.size = status.st_size
                with open(full, "rb") as handle:
                    tar.addfile(info, handle)


def _add_bytes(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def unpack(source, project_root) -> Unpacked:
    """Restore the entry in ``source`` (a path or binary file) under ``project_root``.

    Raises :class:`ArchiveError` for anything unsafe or unreadable; in that
    case no file under ``project_root`` has been changed.
    """
    root = Path(project_root).resolve()
    scratch = root / ".zr" / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="restore-", dir=scratch))
    try:
        meta, log, files = _extract(source, root, staging)
        for relative in files:
            _check_destination(staging / relative, root, relative)
        for relative in files:
            _move_into_place(staging / relative, root, relative)
        return Unpacked(meta, log, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _extract(source, root: Path, staging: Path):
    meta, log, files = None, b"", []
    try:
        opened = (tarfile.open(source, "r:*") if isinstance(source, (str, os.PathLike))
                  else tarfile.open(fileobj=source, mode="r:*"))
        with opened as tar:
            for member in tar:
                if member.name == META_NAME:
                    meta = json.loads(_read(tar, member))
                elif member.name == LOG_NAME:
                    log = _read(tar, member)
                elif member.name.startswith(FILES_PREFIX):
                    relative = _safe_relative(member.name[len(FILES_PREFIX):])
                    _extract_member(tar, member, relative, root, staging)
                    files.append(relative)
                else:
                    raise ArchiveError(f"unexpected member {member.name!r}")
    except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeDecodeError) as error:
        raise ArchiveError(f"unreadable archive ({error})") from error
    if not isinstance(meta, dict):
        raise ArchiveError("archive has no meta.json")
    return meta, log, files


def _read(tar, member) -> bytes:
    handle = tar.extractfile(member)
    if handle is None:
        raise ArchiveError(f"{member.name!r} is not a regular file")
    return handle.read()


def _safe_relative(name: str) -> str:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or name.startswith("/") or ".." in path.parts:
        raise ArchiveError(f"refusing path {name!r}: it leaves the project")
    parts = [p for p in path.parts if p not in ("", ".")]
    if not parts:
        raise ArchiveError(f"refusing empty path {name!r}")
    return "/".join(parts)


def _extract_member(tar, member, relative: str, root: Path, staging: Path) -> None:
    target = staging / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    if member.isreg():
        handle = tar.extractfile(member)
        with open(target, "wb") as out:
            shutil.copyfileobj(handle, out)
        os.chmod(target, member.mode & 0o777)
        os.utime(target, (member.mtime, member.mtime))
    elif member.issym():
        link = member.linkname
        if os.path.isabs(link):
            raise ArchiveError(f"refusing link {relative!r} -> {link!r}: absolute target")
        final = os.path.normpath(os.path.join(root, os.path.dirname(relative), link))
        if not _inside(final, root):
            raise ArchiveError(f"refusing link {relative!r} -> {link!r}: it points outside the project")
        os.symlink(link, target)
    elif member.isdir():
        target.mkdir(exist_ok=True)
    else:
        kind = "hard link" if member.islnk() else "device or special file"
        raise ArchiveError(f"refusing {relative!r}: {kind}")


def _inside(path, root: Path) -> bool:
    path = os.path.normpath(str(path))
    root_text = str(root)
    return path == root_text or path.startswith(root_text.rstrip(os.sep) + os.sep)


def _check_destination(staged: Path, root: Path, relative: str) -> None:
    """Refuse before anything moves: a link out of the project on the way, or
    a directory where a file goes."""
    destination = root / relative
    if not _inside(os.path.realpath(destination.parent), root):
        raise ArchiveError(f"refusing {relative!r}: its directory is a link out of the project")
    is_staged_dir = staged.is_dir() and not staged.is_symlink()
    if not is_staged_dir and destination.is_dir() and not destination.is_symlink():
        raise ArchiveError(f"cannot restore {relative!r}: a directory is in the way")


def _move_into_place(staged: Path, root: Path, relative: str) -> None:
    destination = root / relative
    destination.parent.mkdir(parents=True, exist_ok=True)
    if staged.is_dir() and not staged.is_symlink():
        return
    os.replace(staged, destination)
