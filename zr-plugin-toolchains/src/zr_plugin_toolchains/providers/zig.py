"""Zig from ziglang.org: ``download/index.json`` is keyed by version and
names each platform's tarball with its SHA-256, and every tarball has a
minisign signature beside it (``<tarball>.minisig``) by the key ziglang.org
publishes on its download page; the ``zig`` executable sits at the
archive's root (no bin dir) next to ``lib/``."""

from __future__ import annotations

import json

from ..provider import Artifact, Release, Toolchain, UnsupportedPlatform
from ..versions import parse_version


class Zig(Toolchain):
    name = "zig"
    description = "Zig (ziglang.org/download)"
    upstream = "https://ziglang.org"
    index_url = "https://ziglang.org/download/index.json"
    mirror_index = "download/index.json"
    bin_dirs = ("",)
    smoke = ("zig", "version")
    idiomatic_files = (".zig-version",)
    minisign_key = "RWSGOq2NVecA2UPNdBUZykf1CCb147pkmdtYxgb3Ti+JO/wCYvhbAb/U"

    def parse_index(self, data: bytes) -> list:
        releases = []
        for key, entry in json.loads(data).items():
            if key == "master":  # nightly builds: their own version field
                key = entry.get("version", "")
            version = parse_version(key)
            if version is not None:
                releases.append(Release(version, None, entry))
        return releases

    def artifact(self, release, platform, base):
        for name in (f"{platform.arch}-{platform.os}", f"{platform.arch}-macos"
                     if platform.os == "darwin" else None):
            item = release.data.get(name) if name else None
            if item:
                return Artifact(item["tarball"], sha256=item.get("shasum"))
        raise UnsupportedPlatform(f"zig {release.version} has no build for {platform.key}")
