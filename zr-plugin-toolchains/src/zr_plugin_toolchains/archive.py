"""Unpacking a verified archive without letting it write outside its dir.

Every member is checked before anything is written: an absolute name, a
``..`` component, a link whose target leaves the destination, a device or
a FIFO make the whole archive refused. Zip archives get their Unix modes
(the executable bit) and symlinks back, which ``zipfile`` drops.
"""

from __future__ import annotations

import os
import posixpath
import stat

from zr.api import ZrError


class UnsafeArchive(ZrError):
    """The archive tries to write outside its directory."""


def _check_name(name: str, archive: str) -> str:
    clean = name.replace("\\", "/")
    if clean.startswith("/") or (len(clean) > 1 and clean[1] == ":"):
        raise UnsafeArchive(f"{archive}: member '{name}' has an absolute path; refused")
    parts = [p for p in clean.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeArchive(f"{archive}: member '{name}' escapes the archive with '..'; refused")
    return "/".join(parts)


def _check_link(name: str, target: str, archive: str, *, hard: bool = False) -> None:
    if target.startswith("/"):
        raise UnsafeArchive(f"{archive}: link '{name}' points to the absolute path "
                            f"'{target}'; refused")
    base = "" if hard else posixpath.dirname(name)
    resolved = posixpath.normpath(posixpath.join(base, target))
    if resolved == ".." or resolved.startswith("../"):
        raise UnsafeArchive(f"{archive}: link '{name}' points outside the archive "
                            f"('{target}'); refused")


def extract(path: str, kind: str, dest: str) -> None:
    """Unpack ``path`` (``tar.gz``, ``tar.xz``, ``tar.bz2``, ``zip``) into ``dest``."""
    label = os.path.basename(path)
    os.makedirs(dest, exist_ok=True)
    if kind == "zip":
        _extract_zip(path, dest, label)
    elif kind.startswith("tar."):
        if kind == "tar.zst":
            raise ZrError(f"{label}: .tar.zst archives need Python 3.14's zstd support; "
                          "choose another archive kind")
        _extract_tar(path, dest, label)
    else:
        raise ZrError(f"{label}: unknown archive kind '{kind}'")


def _extract_tar(path: str, dest: str, label: str) -> None:
    import tarfile

    with tarfile.open(path, "r:*") as tar:
        members = tar.getmembers()
        for member in members:
            member.name = _check_name(member.name, label) or "."
            if member.issym():
                _check_link(member.name, member.linkname, label)
            elif member.islnk():
                _check_name(member.linkname, label)
                _check_link(member.name, member.linkname, label, hard=True)
            elif not (member.isfile() or member.isdir()):
                raise UnsafeArchive(f"{label}: member '{member.name}' is a device or FIFO; "
                                    "refused")
            member.mode &= 0o755 | stat.S_IFMT(member.mode)  # no setuid, no world-writable
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, members=members, filter="tar")
        else:  # pragma: no cover - Pythons before the extraction filters
            tar.extractall(dest, members=members)


def _extract_zip(path: str, dest: str, label: str) -> None:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        links = []
        for info in infos:
            name = _check_name(info.filename, label)
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                target = archive.read(info).decode()
                _check_link(name, target, label)
                links.append((name, target))
        for info in infos:
            name = _check_name(info.filename, label)
            mode = info.external_attr >> 16
            if not name or stat.S_ISLNK(mode):
                continue
            target = os.path.join(dest, name)
            if info.is_dir():
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with archive.open(info) as src, open(target, "wb") as out:
                while True:
                    chunk = src.read(1 << 20)
                    if not chunk:
                        break
                    out.write(chunk)
            if mode & 0o777:
                os.chmod(target, mode & 0o755)
        for name, target in links:
            where = os.path.join(dest, name)
            os.makedirs(os.path.dirname(where), exist_ok=True)
            os.symlink(target, where)


def content_root(dest: str) -> str:
    """The archive's single top-level directory, or ``dest`` itself."""
    entries = os.listdir(dest)
    if len(entries) == 1:
        only = os.path.join(dest, entries[0])
        if os.path.isdir(only) and not os.path.islink(only):
            return only
    return dest
