"""Cache entries as tar archives: pack a task's outputs and log, unpack safely.

An entry is a tar holding ``meta.json`` (who made it and when), ``log``
(the captured output, replayed on a hit) and ``files/<path>`` for every
output, paths relative to the project root.

Entry format 2 (a PAX global header ``ZR.format=2``) compresses member by
member: a file whose first 64 KiB shrink under gzip is stored gzipped,
marked with the PAX headers ``ZR.encoding=gzip`` and ``ZR.size`` (its own
size); any other (already compressed, random, small) is stored as it is,
so caching a large binary costs a copy instead of a slow deflate. ``tar
tvf`` lists an entry and ``gunzip`` reads a gzipped member. Format 1
entries, one gzip stream around the whole tar, are still read.

Entries can come from a shared remote without signing, so unpacking
trusts nothing: it refuses absolute paths, ``..``, a member named twice, a
member below a link (nothing is ever written through a link), links whose
target, resolved through the entry's own links, leaves the project, hard
links, device files, unknown encodings and (given the task's ``outputs``)
any path the task does not declare as an output; it checks each decoded
size, extracts into a temporary directory inside the project, and only
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
import zlib
from pathlib import Path, PurePosixPath

FILES_PREFIX = "files/"
META_NAME = "meta.json"
LOG_NAME = "log"
ENTRY_FORMAT = 2
FORMAT_HEADER = "ZR.format"
ENCODING_HEADER = "ZR.encoding"
SIZE_HEADER = "ZR.size"
GZIP = "gzip"
# Whether a member is worth compressing is judged on its first SAMPLE
# bytes: gzipped, they must shrink below WORTH_IT of their size.
SAMPLE = 64 << 10
WORTH_IT = 0.9
LEVEL = 3
_CHUNK = 1 << 20
_GZIP_WBITS = 31  # zlib's gzip container: what gunzip reads


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
    scratch = Path(destination).parent
    with tarfile.open(destination, "w", format=tarfile.PAX_FORMAT,
                      pax_headers={FORMAT_HEADER: str(ENTRY_FORMAT)}) as tar:
        _add_bytes(tar, META_NAME, json.dumps(meta, sort_keys=True).encode())
        if log_path is not None and os.path.exists(log_path):
            info = tarfile.TarInfo(LOG_NAME)
            info.mode = 0o644
            _add_regular(tar, info, log_path, scratch)
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
                _add_regular(tar, info, full, scratch)


def _add_bytes(tar, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def _add_regular(tar, info, path, scratch: Path) -> None:
    """Add the file at ``path`` as ``info``: gzipped (through a temporary
    file, as tar needs the size first) when its sample compresses well."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if not _worth_compressing(handle.read(SAMPLE)):
            handle.seek(0)
            info.size = size
            tar.addfile(info, handle)
            return
        handle.seek(0)
        with tempfile.TemporaryFile(dir=scratch) as packed:
            compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, _GZIP_WBITS)
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                packed.write(compressor.compress(chunk))
            packed.write(compressor.flush())
            info.size = packed.tell()
            info.pax_headers = {ENCODING_HEADER: GZIP, SIZE_HEADER: str(size)}
            packed.seek(0)
            tar.addfile(info, packed)


def _worth_compressing(sample: bytes) -> bool:
    return bool(sample) and len(zlib.compress(sample, LEVEL)) < len(sample) * WORTH_IT


def declared_outputs(patterns, cwd, project_root):
    """A predicate on project-relative posix paths: does one of the task's
    ``outputs`` globs (relative to ``cwd``, ``!`` excludes, the last
    matching pattern wins) name it? What :func:`unpack` may write."""
    from .globs import glob_regex, normalize

    import posixpath

    root = Path(project_root).resolve()
    base = Path(os.path.relpath(Path(cwd).resolve(), root)).as_posix()
    rules = []
    for raw in patterns:
        negated = raw.strip().startswith("!")
        pattern = posixpath.normpath(normalize(raw.strip()[1:] if negated else raw))
        rules.append((negated, pattern, glob_regex(pattern)))

    def allowed(relative: str) -> bool:
        # As the task's globs see it: relative to its cwd (``../shared/x``
        # for an output beside the cwd, as packing found it).
        below_cwd = posixpath.relpath(relative, base)
        keep = False
        for negated, pattern, regex in rules:
            if pattern == "." or regex.match(below_cwd):
                keep = not negated
        return keep

    return allowed


def unpack(source, project_root, allowed=None) -> Unpacked:
    """Restore the entry in ``source`` (a path or binary file) under ``project_root``.

    ``allowed`` (see :func:`declared_outputs`), when given, names the only
    paths the entry may write. Raises :class:`ArchiveError` for anything
    unsafe, undeclared or unreadable; in that case no file under
    ``project_root`` has been changed.
    """
    root = Path(project_root).resolve()
    scratch = root / ".zr" / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="restore-", dir=scratch))
    try:
        meta, log, files = _extract(source, root, staging, allowed)
        try:
            for relative in files:
                _check_link_target(staging, relative)
            for relative in files:
                _check_destination(staging / relative, root, relative)
            for relative in files:
                _move_into_place(staging / relative, root, relative)
        except OSError as error:
            raise ArchiveError(f"cannot restore ({error})") from error
        return Unpacked(meta, log, files)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _extract(source, root: Path, staging: Path, allowed):
    meta, log, files = None, b"", []
    seen: set = set()
    try:
        opened = (tarfile.open(source, "r:*") if isinstance(source, (str, os.PathLike))
                  else tarfile.open(fileobj=source, mode="r:*"))
        with opened as tar:
            made_by = tar.pax_headers.get(FORMAT_HEADER, "1")
            if made_by not in ("1", str(ENTRY_FORMAT)):
                raise ArchiveError(f"entry format {made_by!r} is not one this zr reads "
                                   f"(made by a newer zr?)")
            for member in tar:
                name = member.name
                if name.startswith(FILES_PREFIX):
                    name = FILES_PREFIX + _safe_relative(name[len(FILES_PREFIX):])
                if name in seen:
                    raise ArchiveError(f"{name!r} appears twice")
                seen.add(name)
                if name == META_NAME:
                    meta = json.loads(_read(tar, member))
                elif name == LOG_NAME:
                    log = _read(tar, member)
                elif name.startswith(FILES_PREFIX):
                    relative = name[len(FILES_PREFIX):]
                    if member.isdir():
                        continue  # directories are made as the files in them need
                    if allowed is not None and not allowed(relative):
                        raise ArchiveError(f"{relative!r} is not one of the task's "
                                           f"declared outputs")
                    _extract_member(tar, member, relative, root, staging)
                    files.append(relative)
                else:
                    raise ArchiveError(f"unexpected member {member.name!r}")
    except (tarfile.TarError, OSError, EOFError, ValueError, UnicodeDecodeError,
            zlib.error) as error:
        raise ArchiveError(f"unreadable archive ({error})") from error
    if not isinstance(meta, dict):
        raise ArchiveError("archive has no meta.json")
    return meta, log, files


def _read(tar, member) -> bytes:
    return b"".join(_decoded(tar, member))


def _decoded(tar, member):
    """The member's bytes in chunks, gunzipped if it was stored gzipped;
    ArchiveError for an unknown encoding or a size other than declared."""
    handle = tar.extractfile(member)
    if handle is None:
        raise ArchiveError(f"{member.name!r} is not a regular file")
    chunks = iter(lambda: handle.read(_CHUNK), b"")
    encoding = member.pax_headers.get(ENCODING_HEADER)
    if encoding is None:
        yield from chunks
        return
    if encoding != GZIP:
        raise ArchiveError(f"{member.name!r} has an unknown encoding {encoding!r}")
    expected = int(member.pax_headers.get(SIZE_HEADER, "-1"))
    decompressor = zlib.decompressobj(_GZIP_WBITS)
    produced = 0
    for chunk in chunks:
        while chunk:
            # Bounded output per step: a small member cannot inflate in memory.
            data = decompressor.decompress(chunk, _CHUNK)
            produced += len(data)
            if produced > expected:
                raise ArchiveError(f"{member.name!r} is larger than it says")
            yield data
            chunk = decompressor.unconsumed_tail
    if not decompressor.eof or produced != expected or decompressor.unused_data:
        raise ArchiveError(f"{member.name!r} does not decode to the size it declares")


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
    _make_parents(staging, relative)
    if member.isreg():
        with open(target, "wb") as out:
            for chunk in _decoded(tar, member):
                out.write(chunk)
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


def _make_parents(staging: Path, relative: str) -> None:
    """Create the directories above ``relative`` in ``staging``, refusing a
    path below a link: writing through one is how an entry's
    ``a -> .`` plus ``a/a/../../l -> ..`` chain would escape."""
    directory = staging
    for part in relative.split("/")[:-1]:
        directory = directory / part
        if directory.is_symlink():
            raise ArchiveError(f"refusing {relative!r}: it lies below a link")
        directory.mkdir(exist_ok=True)


def _check_link_target(staging: Path, relative: str) -> None:
    """A link in the entry must resolve, through the entry's other links,
    inside the project (checked once every member is staged, since links
    may come in any order)."""
    staged = staging / relative
    if not staged.is_symlink():
        return
    if not _inside(os.path.realpath(staged), staging):
        raise ArchiveError(f"refusing link {relative!r} -> {os.readlink(staged)!r}: "
                           f"it resolves outside the project")


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
