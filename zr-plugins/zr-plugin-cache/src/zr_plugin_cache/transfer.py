"""Task outputs carried through the project's remote cache, for plugins
that run tasks on other machines (the Dask executor).

Public API of the cache plugin, for other plugins:

- :func:`remote_backend` opens the backend ``[cache.remote]`` configures
  (None without one);
- :func:`upload_outputs` packs the files a task's ``outputs`` globs match
  into a cache entry and uploads it under a key;
- :func:`download_outputs` fetches such an entry and restores it into a
  checkout, writing nothing but what the globs declare; a bad entry raises
  :class:`~.remote.BadEntry`;
- :func:`remove_bad_entry` deletes such a bad entry from the remote, as a
  run does with a bad cache entry ("Bad entries" in docs/caching.md).

Entries are the same archives a cached task stores (:mod:`.archive`), so
the checks that protect a restore (no paths out of the project, no links
out, nothing undeclared) apply here as well. The calls block: run them off
zr's loop (an executor's thread, a Dask task).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from . import archive, globs


def remote_backend(config, warn=None):
    """The backend of ``config``'s ``[cache.remote]`` (its ``get``, ``put``
    and ``describe``), or None when the project has no remote cache.
    Raises :class:`zr.api.ConfigError` for a remote zr cannot open."""
    from .backends import make_backend
    from .settings import CacheSettings

    settings = CacheSettings(config.doc.get("cache"), config.root)
    return make_backend(config, settings, warn or (lambda message: None))


def output_files(patterns, cwd, project_root) -> list:
    """The files (posix paths relative to ``project_root``) that the
    ``outputs`` globs ``patterns`` match below ``cwd``; outside the project
    is left out."""
    if not patterns:
        return []
    root = Path(project_root)
    selection = globs.select(list(patterns), Path(cwd), project_root=root)
    files = []
    for relative in selection.files:
        from_root = Path(os.path.relpath(Path(cwd) / relative, root)).as_posix()
        if not from_root.startswith("../"):
            files.append(from_root)
    return files


def upload_outputs(backend, key: str, patterns, cwd, project_root, *, log: bytes = b"",
                   meta: dict | None = None) -> list:
    """Pack the outputs ``patterns`` match (and ``log``) and upload them
    under ``key``; return the files packed. Raises what the backend raises."""
    files = output_files(patterns, cwd, project_root)
    with tempfile.TemporaryDirectory(prefix="zr-transfer-") as scratch:
        log_path = None
        if log:
            log_path = os.path.join(scratch, "log")
            with open(log_path, "wb") as out:
                out.write(log)
        packed = os.path.join(scratch, "entry.tar")
        archive.pack(packed, project_root, files, {"created": time.time(), **(meta or {})},
                     log_path)
        backend.put(key, packed)
    return files


def download_outputs(backend, key: str, patterns, cwd, project_root) -> bool:
    """Fetch the entry ``key`` and restore the files it holds that
    ``patterns`` declare (relative to ``cwd``) into ``project_root``; False
    when the remote has no such entry. Raises :class:`~.remote.BadEntry`
    for a bad entry (unsafe or unreadable archive, digest or signature that
    does not match: see :func:`remove_bad_entry`), and what the backend
    raises for a fault of the remote."""
    from .remote import BadEntry

    chunks = backend.get(key)
    if chunks is None:
        return False
    with tempfile.TemporaryDirectory(prefix="zr-transfer-") as scratch:
        download = os.path.join(scratch, "entry.tar")
        with open(download, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        allowed = archive.declared_outputs(list(patterns or ()), cwd, project_root)
        try:
            archive.unpack(download, project_root, allowed)
        except archive.ArchiveError as error:
            raise BadEntry(" ".join(str(error).split())) from None  # one line
    return True


def remove_bad_entry(backend, key: str) -> str:
    """Delete the entry ``key``, found bad (:class:`~.remote.BadEntry`),
    from the remote so that nothing downloads it again, exactly as a run
    removes a bad cache entry (:meth:`.RemoteCache.remove_bad`: a backend
    without ``delete`` keeps it, a failed delete is said, never raised).
    Returns what became of it, as the end of the caller's warning
    ("; removed it from the remote"). Entries moved between machines are
    written whatever ``[cache] read_only`` says, so they are removed so too."""
    from .remote import DEFAULT_TIMEOUT
    from .remote_cache import RemoteCache

    remote = RemoteCache(backend, lambda message: None, read_only=False,
                         timeout=DEFAULT_TIMEOUT)
    return remote.remove_bad(key)
