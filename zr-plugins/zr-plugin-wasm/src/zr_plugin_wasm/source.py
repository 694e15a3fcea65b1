"""The bytes of a plugin's module: read from ``path``, or fetched once from
``url`` into zr's cache, and checked against ``sha256`` when one is pinned."""

from __future__ import annotations

import hashlib
import os

from .errors import WasmPluginError


def download_dir() -> str:
    from zr.api import cache_dir

    return os.path.join(cache_dir(), "wasm", "downloads")


def module_bytes(spec) -> tuple:
    """``(bytes, sha256 hex)`` of ``spec``'s module."""
    if spec.url:
        data = _fetched(spec)
    else:
        try:
            with open(spec.path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise WasmPluginError(spec.name, None, f"cannot read {spec.path}: "
                                  f"{exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    if spec.sha256 and digest != spec.sha256:
        raise WasmPluginError(spec.name, None, f"{spec.source} has SHA-256 {digest}, but "
                              f"sha256 pins {spec.sha256}; refusing to load it (update the pin "
                              "if the new module is trusted)")
    return data, digest


def _fetched(spec) -> bytes:
    """The module at ``spec.url``, downloaded once; stored under its digest so
    a pinned module is never fetched twice."""
    from zr.api import atomic_write

    cached = os.path.join(download_dir(), f"{spec.sha256}.wasm")
    try:
        with open(cached, "rb") as fh:
            data = fh.read()
        if hashlib.sha256(data).hexdigest() == spec.sha256:
            return data
    except OSError:
        pass
    import urllib.request

    try:
        with urllib.request.urlopen(spec.url, timeout=30) as response:
            data = response.read()
    except (OSError, ValueError) as exc:
        raise WasmPluginError(spec.name, None, f"cannot download {spec.url}: {exc}") from None
    if hashlib.sha256(data).hexdigest() == spec.sha256:
        atomic_write(cached, data)
    return data
