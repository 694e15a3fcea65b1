"""Node.js from nodejs.org/dist: ``index.json`` lists every release, with
its LTS codename; archives are verified against ``SHASUMS256.txt``."""

from __future__ import annotations

import json

from ..provider import Artifact, Release, Toolchain
from ..versions import parse_version

_OS = {"linux": "linux", "darwin": "darwin"}
_ARCH = {"x86_64": "x64", "aarch64": "arm64"}


class Node(Toolchain):
    name = "node"
    aliases = ("nodejs",)
    description = "Node.js (nodejs.org/dist)"
    upstream = "https://nodejs.org/dist"
    index_url = "https://nodejs.org/dist/index.json"
    mirror_index = "index.json"
    mirror_env = ("NODEJS_ORG_MIRROR", "NVM_NODEJS_ORG_MIRROR")
    smoke = ("bin/node", "--version")
    idiomatic_files = (".nvmrc", ".node-version")

    def parse_index(self, data: bytes) -> list:
        releases = []
        for entry in json.loads(data):
            version = parse_version(entry["version"])
            if version is not None:
                releases.append(Release(version, entry.get("lts") or None, entry))
        return releases

    def artifact(self, release, platform, base):
        os_name = _OS.get(platform.os)
        arch = _ARCH.get(platform.arch)
        if not os_name or not arch:
            from ..provider import UnsupportedPlatform

            raise UnsupportedPlatform(f"node has no build for {platform.key}")
        v = release.version.text
        name = f"node-v{v}-{os_name}-{arch}.tar.gz"
        return Artifact(f"{base}/v{v}/{name}", checksum_url=f"{base}/v{v}/SHASUMS256.txt")

    def read_idiomatic(self, filename, text):
        spec = super().read_idiomatic(filename, text)
        if spec and spec.lower().startswith("lts/"):
            return spec.lower()
        if spec and spec.lower() == "node":  # nvm's word for the newest
            return "latest"
        return spec
