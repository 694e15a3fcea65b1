"""What a toolchain provider is: mostly data about one upstream project.

A provider tells zr where a toolchain's versions are listed (its official
index), how to read that index, which archive fits this machine and where
its official SHA-256 is, how the unpacked archive is laid out (bin dirs,
env vars such as ``GOROOT``) and how to check that it runs. Everything
else (resolving specs, mirrors, downloading, verifying, unpacking safely,
locking, activation) is zr's and the same for every toolchain.

A third-party plugin adds a toolchain by subclassing :class:`Toolchain`
and registering an instance from its ``zr_toolchains(register)`` hook.
"""

from __future__ import annotations

import os
import sys

from .versions import Version


class Release:
    """One version as the index lists it. ``lts`` is the index's LTS value
    (a codename, True, or None); ``data`` is whatever the provider needs
    later to find the archive (the index entry)."""

    __slots__ = ("version", "lts", "data")

    def __init__(self, version: Version, lts=None, data=None):
        self.version = version
        self.lts = lts
        self.data = data

    def __repr__(self) -> str:
        return f"Release({self.version.text!r})"


class Artifact:
    """The archive to download for one release on this platform.

    Give ``sha256`` when the index carries it; otherwise ``checksum_url``,
    a file of ``<sha256>  <name>`` lines (SHASUMS256.txt, ``.sha256``),
    in which ``checksum_name`` (default: the file name) is looked up.
    ``kind`` is ``tar.gz``, ``tar.xz``, ``tar.zst`` or ``zip``.
    """

    __slots__ = ("url", "filename", "sha256", "checksum_url", "checksum_name", "kind")

    def __init__(self, url: str, *, sha256: str | None = None, checksum_url: str | None = None,
                 checksum_name: str | None = None, filename: str | None = None,
                 kind: str | None = None):
        self.url = url
        self.filename = filename or url.rsplit("/", 1)[-1].split("?")[0]
        self.sha256 = sha256.lower() if sha256 else None
        self.checksum_url = checksum_url
        self.checksum_name = checksum_name or self.filename
        self.kind = kind or archive_kind(self.filename)


def archive_kind(filename: str) -> str:
    for kind in ("tar.gz", "tar.xz", "tar.zst", "tar.bz2", "zip"):
        if filename.endswith("." + kind):
            return kind
    if filename.endswith(".tgz"):
        return "tar.gz"
    return "file"


class Platform:
    """This machine as toolchains name it: ``os`` is linux/darwin/windows,
    ``arch`` is x86_64/aarch64; providers map these to their own words."""

    def __init__(self, os_name: str | None = None, arch: str | None = None):
        self.os = os_name or {"linux": "linux", "darwin": "darwin", "win32": "windows"}.get(
            sys.platform, sys.platform)
        machine = (arch or os.uname().machine).lower()  # not `platform`: 30 ms to import
        self.arch = {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64"}.get(machine, machine)

    @property
    def key(self) -> str:
        """How zr.lock names the platform: ``linux-x86_64``."""
        return f"{self.os}-{self.arch}"

    def pick(self, table: dict, what: str) -> str:
        """``table[(os, arch)]`` or a clear error for an unsupported machine."""
        value = table.get((self.os, self.arch))
        if value is None:
            raise UnsupportedPlatform(f"{what} has no build for {self.key}")
        return value


class UnsupportedPlatform(Exception):
    """No archive of this toolchain exists for this machine."""


class Toolchain:
    """Base class of every provider; subclasses set the data and the few
    methods that differ. Paths (bin dirs, smoke test) are relative to the
    install dir, which holds the archive's contents with its single
    top-level directory removed."""

    #: the name users write: ``[tools] node = "20"``, ``node@20``
    name: str = ""
    #: other names accepted, e.g. asdf's ``nodejs`` in ``.tool-versions``
    aliases: tuple = ()
    description: str = ""
    #: upstream base URL of downloads; a mirror replaces it
    upstream: str = ""
    #: absolute URL of the version index upstream
    index_url: str = ""
    #: path of the index under a mirror's base URL (mirrors keep upstream paths)
    mirror_index: str = ""
    #: absolute URL prefixes found in the index that a mirror replaces
    rewrites: tuple = ()
    #: environment variables that already name a mirror for this toolchain
    mirror_env: tuple = ()
    #: the index holds every version (False: rust, which has one manifest per channel)
    lists_versions: bool = True
    #: bin dirs put on PATH, relative to the install dir
    bin_dirs: tuple = ("bin",)
    #: argv run after unpacking; it must exit 0 (the first item is relative)
    smoke: tuple = ()
    #: files (searched from a task's cwd up to the project root) that may
    #: name a version when a task asks for the tool without one
    idiomatic_files: tuple = ()
    #: the minisign public key upstream signs its archives with (zig's);
    #: a project may trust another one (a mirror that re-signs)
    minisign_key: str = ""

    # -- the index -------------------------------------------------------

    def parse_index(self, data: bytes) -> list:
        """Every :class:`Release` in the index document, any order."""
        raise NotImplementedError

    def index_for(self, spec) -> str | None:
        """The index path for ``spec`` when it depends on the spec (rust's
        channel manifests); None uses :attr:`index_url`/:attr:`mirror_index`."""
        return None

    # -- one release -----------------------------------------------------

    def artifact(self, release: Release, platform: Platform, base: str) -> Artifact:
        """The archive for ``release`` on ``platform``; ``base`` is the
        download base URL (upstream or the mirror)."""
        raise NotImplementedError

    def signature_url(self, archive_url: str) -> str:
        """Where the minisign signature of the archive at ``archive_url`` is
        (checked when a key is trusted): beside it, as zig publishes it."""
        return archive_url + ".minisig"

    def env(self, home: str) -> dict:
        """Variables a task gets besides PATH (``GOROOT``, ``JAVA_HOME``)."""
        return {}

    def post_extract(self, staged: str, run_command) -> None:
        """Finish an unpacked archive in place (rust runs its install.sh)."""

    def smoke_argv(self, home: str) -> list:
        if not self.smoke:
            return []
        return [os.path.join(home, self.smoke[0]), *self.smoke[1:]]

    def read_idiomatic(self, filename: str, text: str) -> str | None:
        """The version spec an idiomatic file names, or None."""
        line = text.strip().splitlines()[0].strip() if text.strip() else ""
        return line or None

    def __repr__(self) -> str:
        return f"<toolchain {self.name}>"
