"""Go from go.dev/dl: the JSON index (``?mode=json&include=all``) carries
each file's SHA-256; ``GOROOT`` is the install dir and ``GOTOOLCHAIN=local``
stops the go command from downloading another toolchain behind zr's back."""

from __future__ import annotations

import json
import os
import re

from ..provider import Artifact, Release, Toolchain, UnsupportedPlatform
from ..versions import parse_version

_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}


class Go(Toolchain):
    name = "go"
    aliases = ("golang",)
    description = "Go (go.dev/dl)"
    upstream = "https://go.dev/dl"
    index_url = "https://go.dev/dl/?mode=json&include=all"
    mirror_index = "index.json"
    smoke = ("bin/go", "version")
    idiomatic_files = (".go-version", "go.mod")

    def parse_index(self, data: bytes) -> list:
        releases = []
        for entry in json.loads(data):
            version = parse_version(entry["version"])
            if version is not None:
                releases.append(Release(version, None, entry))
        return releases

    def artifact(self, release, platform, base):
        arch = _ARCH.get(platform.arch)
        for item in release.data.get("files", ()):
            if (item.get("os") == platform.os and item.get("arch") == arch
                    and item.get("kind") == "archive"):
                return Artifact(f"{base}/{item['filename']}", sha256=item.get("sha256") or None)
        raise UnsupportedPlatform(f"go {release.version} has no archive for {platform.key}")

    def env(self, home):
        return {"GOROOT": home, "GOTOOLCHAIN": "local"}

    def read_idiomatic(self, filename, text):
        if os.path.basename(filename) != "go.mod":
            return super().read_idiomatic(filename, text)
        toolchain = re.search(r"^toolchain\s+go(\S+)", text, re.M)
        if toolchain:
            return toolchain.group(1)
        go = re.search(r"^go\s+(\d+\.\d+(?:\.\d+)?)", text, re.M)
        # "go 1.21" is a minimum: any newer 1.x release satisfies it
        return f">={go.group(1)}" if go else None
