"""CPython from python-build-standalone (the builds uv and mise install).

The release list is GitHub's releases API (tags are dates, ``20240713``);
each ``cpython-<version>+<tag>-<triple>-install_only_stripped.tar.gz``
asset carries its ``digest``, and ``<tag>/SHA256SUMS`` lists them all. A
version is built in many tags: the newest tag's build is used. Under a
mirror (``UV_PYTHON_INSTALL_MIRROR`` works too) the same JSON is read from
``<mirror>/releases.json``.
"""

from __future__ import annotations

import json
import os
import re

from ..provider import Artifact, Release, Toolchain, UnsupportedPlatform
from ..versions import parse_version

RELEASES = "https://github.com/astral-sh/python-build-standalone/releases/download"
_ASSET = re.compile(r"^cpython-(\d+\.\d+\.\d+)\+(\d+)-([a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+"
                    r"(?:-[a-z0-9_]+)?)-install_only(_stripped)?\.tar\.gz$")
_TRIPLES = {("linux", "x86_64"): "x86_64-unknown-linux-gnu",
            ("linux", "aarch64"): "aarch64-unknown-linux-gnu",
            ("darwin", "x86_64"): "x86_64-apple-darwin",
            ("darwin", "aarch64"): "aarch64-apple-darwin"}


class Python(Toolchain):
    name = "python"
    description = "CPython (astral-sh/python-build-standalone)"
    upstream = RELEASES
    index_url = ("https://api.github.com/repos/astral-sh/python-build-standalone/releases"
                 "?per_page=100")
    mirror_index = "releases.json"
    mirror_env = ("UV_PYTHON_INSTALL_MIRROR",)
    smoke = ("bin/python3", "--version")
    idiomatic_files = (".python-version",)

    def parse_index(self, data: bytes) -> list:
        builds: dict = {}  # version -> {"tag": tag, "assets": {triple: asset}}
        for release in json.loads(data):
            for asset in release.get("assets", ()):
                match = _ASSET.match(asset.get("name", ""))
                if not match:
                    continue
                version, tag, triple, stripped = match.groups()
                entry = builds.setdefault(version, {"tag": "", "assets": {}})
                if tag > entry["tag"]:
                    entry["tag"], entry["assets"] = tag, {}
                if tag == entry["tag"] and (stripped or triple not in entry["assets"]):
                    entry["assets"][triple] = asset
        return [Release(parse_version(v), None, entry) for v, entry in builds.items()]

    def artifact(self, release, platform, base):
        triple = platform.pick(_TRIPLES, "python")
        asset = release.data["assets"].get(triple)
        if asset is None:
            raise UnsupportedPlatform(f"python {release.version} has no build for {triple}")
        digest = asset.get("digest") or ""
        tag = release.data["tag"]
        return Artifact(asset["browser_download_url"],
                        sha256=digest[7:] if digest.startswith("sha256:") else None,
                        checksum_url=f"{base}/{tag}/SHA256SUMS")

    def post_extract(self, staged, run_command):
        link = os.path.join(staged, "bin", "python")
        if not os.path.lexists(link) and os.path.exists(os.path.join(staged, "bin", "python3")):
            os.symlink("python3", link)
