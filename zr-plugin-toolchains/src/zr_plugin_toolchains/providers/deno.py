"""Deno from dl.deno.land: ``versions.json`` lists the releases; each zip
(one ``deno`` executable) has a ``.sha256sum`` beside it."""

from __future__ import annotations

import json

from ..provider import Artifact, Release, Toolchain
from ..versions import parse_version

_TRIPLES = {("linux", "x86_64"): "x86_64-unknown-linux-gnu",
            ("linux", "aarch64"): "aarch64-unknown-linux-gnu",
            ("darwin", "x86_64"): "x86_64-apple-darwin",
            ("darwin", "aarch64"): "aarch64-apple-darwin"}


class Deno(Toolchain):
    name = "deno"
    description = "Deno (dl.deno.land)"
    upstream = "https://dl.deno.land"
    index_url = "https://deno.com/versions.json"
    mirror_index = "versions.json"
    bin_dirs = ("bin",)
    smoke = ("bin/deno", "--version")
    idiomatic_files = (".dvmrc",)

    def parse_index(self, data: bytes) -> list:
        found = []
        for text in json.loads(data).get("cli", ()):
            version = parse_version(text)
            if version is not None:
                found.append(Release(version))
        return found

    def artifact(self, release, platform, base):
        triple = platform.pick(_TRIPLES, "deno")
        url = f"{base}/release/v{release.version.text}/deno-{triple}.zip"
        return Artifact(url, checksum_url=url + ".sha256sum")

    def post_extract(self, staged, run_command):
        """The zip holds ``deno`` alone: give it the bin dir tasks expect."""
        import os

        os.makedirs(os.path.join(staged, "bin"), exist_ok=True)
        os.rename(os.path.join(staged, "deno"), os.path.join(staged, "bin", "deno"))

    def env(self, home):
        import os

        return {"DENO_INSTALL_ROOT": os.path.join(home, "installs")}
