"""Where zr keeps its own files: never in site-packages, never in the project.

``ZR_CACHE_DIR`` (cache), ``ZR_HOME`` (everything under one folder) override
the platform's user dirs. Linux paths are computed directly (XDG) so that
start-up does not import platformdirs; other systems ask platformdirs.
"""

from __future__ import annotations

import os
import sys


def _platform_dir(kind: str) -> str:
    if sys.platform.startswith("linux"):
        xdg = {"cache": ("XDG_CACHE_HOME", ".cache"), "state": ("XDG_STATE_HOME", ".local/state"),
               "data": ("XDG_DATA_HOME", ".local/share")}[kind]
        base = os.environ.get(xdg[0]) or os.path.join(os.path.expanduser("~"), xdg[1])
        return os.path.join(base, "zr")
    import platformdirs

    return getattr(platformdirs, f"user_{kind}_dir")("zr")


def cache_dir() -> str:
    """Caches zr can rebuild: parsed configs, the plugin index, task outputs."""
    if os.environ.get("ZR_CACHE_DIR"):
        return os.environ["ZR_CACHE_DIR"]
    if os.environ.get("ZR_HOME"):
        return os.path.join(os.environ["ZR_HOME"], "cache")
    return _platform_dir("cache")


def state_dir() -> str:
    """State worth keeping: run history."""
    if os.environ.get("ZR_HOME"):
        return os.path.join(os.environ["ZR_HOME"], "state")
    return _platform_dir("state")


def data_dir() -> str:
    """Installed things: toolchains."""
    if os.environ.get("ZR_HOME"):
        return os.path.join(os.environ["ZR_HOME"], "data")
    return _platform_dir("data")


def atomic_write(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old or the new file, never half."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
