"""Installed toolchains on disk, and installing one atomically.

Layout, under zr's data dir (``$ZR_HOME/data`` or the XDG data dir)::

    toolchains/<tool>/<version>/            the unpacked toolchain
    toolchains/<tool>/<version>/.zr-installed   metadata, written last
    toolchains/<tool>/.lock-<version>       flock held while installing
    toolchains/<tool>/.tmp-<version>-<rand> an install in progress

and under the cache dir, ``toolchains/downloads/<file>.part``.

An install holds the version's lock from start to finish, so two zr
processes asking for the same version get one download. Inside the lock,
any ``.tmp-<version>-*`` is a leftover of a killed install and is removed;
a ``.part`` is resumed (and verified like a fresh download). The version
dir appears only by ``rename`` of a finished, verified, smoke-tested tree
that already holds its ``.zr-installed``; a dir without it is never used.
"""

from __future__ import annotations

import json
import os

from zr.api import cache_dir, data_dir

from .versions import parse_version

MARKER = ".zr-installed"


def tools_root() -> str:
    return os.path.join(data_dir(), "toolchains")


def downloads_dir() -> str:
    return os.path.join(cache_dir(), "toolchains", "downloads")


def install_dir(tool: str, version: str) -> str:
    return os.path.join(tools_root(), tool, version)


def installed_metadata(tool: str, version: str) -> dict | None:
    """The ``.zr-installed`` record of a finished install, or None."""
    try:
        with open(os.path.join(install_dir(tool, version), MARKER)) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def installed_versions(tool: str) -> list:
    """Versions of ``tool`` installed completely, as :class:`Version`."""
    try:
        names = os.listdir(os.path.join(tools_root(), tool))
    except OSError:
        return []
    found = []
    for name in names:
        if name.startswith(".") or installed_metadata(tool, name) is None:
            continue
        version = parse_version(name)
        if version is not None:
            found.append(version)
    return found


class VersionLock:
    """An exclusive ``flock`` on one tool@version, held across an install."""

    def __init__(self, tool: str, version: str):
        directory = os.path.join(tools_root(), tool)
        os.makedirs(directory, exist_ok=True)
        self.path = os.path.join(directory, f".lock-{version}")
        self.fd = None

    def __enter__(self):
        import fcntl

        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)
