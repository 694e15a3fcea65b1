"""Compiled modules, kept under zr's cache dir so a project starts fast after
the first time.

Two files per module, both written atomically:

- ``wasm/compiled/<key>.cwasm``: wasmtime's serialized machine code. The key
  hashes the module's SHA-256, the wasmtime version, the engine flags of the
  sandbox and the CPU, because ``Module.deserialize`` accepts only what the
  same runtime and configuration produced. Only files zr wrote itself are
  deserialized (never a file from a project or a download).
- ``wasm/exports/<sha256>.json``: the module's function exports, so zr can
  tell which hooks a plugin implements without importing wasmtime.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform


def cache_root() -> str:
    from zr.api import cache_dir

    return os.path.join(cache_dir(), "wasm")


def compiled_key(digest: str) -> str:
    import wasmtime

    from .sandbox import ENGINE_FLAGS

    version = getattr(wasmtime, "__version__", None) or _distribution_version()
    flags = json.dumps(ENGINE_FLAGS, sort_keys=True)
    text = "\0".join((digest, version, flags, platform.machine(), platform.system()))
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def _distribution_version() -> str:
    from importlib.metadata import version

    return version("wasmtime")


def load_module(engine, data: bytes, digest: str):
    """The compiled :class:`wasmtime.Module` for ``data``, from the cache when
    it is there (a damaged entry is compiled again and replaced)."""
    import wasmtime

    from zr.api import atomic_write

    path = os.path.join(cache_root(), "compiled", compiled_key(digest) + ".cwasm")
    try:
        with open(path, "rb") as fh:
            return wasmtime.Module.deserialize(engine, fh.read())
    except (OSError, wasmtime.WasmtimeError):
        pass
    module = wasmtime.Module(engine, data)
    try:
        atomic_write(path, module.serialize())
    except OSError:
        pass  # an unwritable cache costs a compile next time, nothing else
    remember_exports(digest, module)
    return module


def _exports_path(digest: str) -> str:
    return os.path.join(cache_root(), "exports", digest + ".json")


def remember_exports(digest: str, module) -> list:
    """Record (and return) the names of ``module``'s function exports."""
    import wasmtime

    from zr.api import atomic_write

    names = [export.name for export in module.exports
             if isinstance(export.type, wasmtime.FuncType)]
    try:
        atomic_write(_exports_path(digest), json.dumps(names).encode())
    except OSError:
        pass
    return names


def known_exports(digest: str) -> list | None:
    """The function exports recorded for ``digest``, or None when unknown."""
    try:
        with open(_exports_path(digest), encoding="utf-8") as fh:
            names = json.load(fh)
    except (OSError, ValueError):
        return None
    return names if isinstance(names, list) else None
