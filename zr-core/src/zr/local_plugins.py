"""Project-local plugins: ``.zr/plugins/*.py`` beside ``zr.toml``.

A project can carry plugins without packaging them, as pytest's
``conftest.py`` or datasette's ``--plugins-dir``: each Python file in that
directory is a plugin module, registered for this project only, named after
the file. They go through the same host as installed plugins (the same
hooks, claims, lazy loading and broken-plugin isolation), so a local plugin
can later become a distribution unchanged.

This module is imported only when the directory exists: the host's check
for it costs one ``stat``. What the files implement and claim is cached per
project, keyed on the files' names and mtimes (as the plugin index is keyed
on the environment's), so an unchanged project does not import them to
start.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

# Where local plugins live, relative to the directory of zr.toml.
LOCAL_DIR = os.path.join(".zr", "plugins")
# A record's ``module`` for a local plugin: this prefix, then the file's path.
FILE_PREFIX = "file:"
_CACHE_FORMAT = 1


def import_file(path: str):
    """Import one local plugin file as a module of its own name."""
    import importlib.util

    name = module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def module_name(path: str) -> str:
    """``zr_local_<stem>_<digest of the directory>``: unique per file."""
    stem = os.path.splitext(os.path.basename(path))[0]
    digest = "%08x" % zlib.crc32(os.path.dirname(path).encode())
    return f"zr_local_{stem}_{digest}"


def load_records(directory: str, taken: set) -> list:
    """Plugin records of the directory's ``*.py`` files, from the cache when
    no file changed. ``taken``: names of installed plugins, which a local
    file may not reuse."""
    from . import __version__
    from .paths import atomic_write, cache_dir

    files = sorted(os.path.join(directory, f) for f in os.listdir(directory)
                   if f.endswith(".py") and not f.startswith((".", "_")))
    key = [(path, os.stat(path).st_mtime_ns) for path in files]
    cache = os.path.join(cache_dir(), "plugins",
                         "local-%08x.marshal" % zlib.crc32(directory.encode()))
    try:
        with open(cache, "rb") as fh:
            fmt, version, cached_key, records = marshal.load(fh)
        if fmt == _CACHE_FORMAT and version == __version__ and cached_key == key:
            return _refuse_taken(records, taken)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    records = [_record(path) for path in files]
    try:
        atomic_write(cache, marshal.dumps((_CACHE_FORMAT, __version__, key, records)))
    except OSError:
        pass
    return _refuse_taken(records, taken)


def _record(path: str) -> dict:
    from .plugins import make_record

    name = os.path.splitext(os.path.basename(path))[0]
    record = make_record(name, FILE_PREFIX + path, None, None)
    record["local"] = path
    return record


def _refuse_taken(records: list, taken: set) -> list:
    for record in records:
        if record["name"] in taken and not record["error"]:
            record["error"] = (f"an installed plugin is already called '{record['name']}'; "
                               "rename the file")
    return records
