"""Bun from its GitHub releases (tags ``bun-v1.1.0``); ``SHASUMS256.txt``
beside the zips; ``bunx`` is ``bun`` under another name."""

from __future__ import annotations

import json
import os

from ..provider import Artifact, Release, Toolchain
from ..versions import parse_version

_NAMES = {("linux", "x86_64"): "bun-linux-x64", ("linux", "aarch64"): "bun-linux-aarch64",
          ("darwin", "x86_64"): "bun-darwin-x64", ("darwin", "aarch64"): "bun-darwin-aarch64"}
RELEASES = "https://github.com/oven-sh/bun/releases/download"


class Bun(Toolchain):
    name = "bun"
    description = "Bun (github.com/oven-sh/bun releases)"
    upstream = RELEASES
    index_url = "https://api.github.com/repos/oven-sh/bun/releases?per_page=100"
    mirror_index = "releases.json"
    bin_dirs = ("",)
    smoke = ("bun", "--version")
    idiomatic_files = (".bun-version",)

    def parse_index(self, data: bytes) -> list:
        found = []
        for entry in json.loads(data):
            tag = entry.get("tag_name", "")
            if not tag.startswith("bun-v") or entry.get("draft"):
                continue
            version = parse_version(tag[len("bun-"):])
            if version is not None:
                found.append(Release(version, None, entry))
        return found

    def artifact(self, release, platform, base):
        name = platform.pick(_NAMES, "bun")
        tag = f"bun-v{release.version.text}"
        return Artifact(f"{base}/{tag}/{name}.zip", checksum_url=f"{base}/{tag}/SHASUMS256.txt")

    def post_extract(self, staged, run_command):
        link = os.path.join(staged, "bunx")
        if not os.path.exists(link):
            os.symlink("bun", link)
