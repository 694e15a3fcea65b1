"""Rust from static.rust-lang.org channel manifests, without rustup.

``dist/channel-rust-<channel>.toml`` (``stable``, ``1.75``, ``1.75.0``,
``beta``, ``nightly``; a dated build's in ``dist/<date>/``) names the
combined ``rust`` package of each target with its SHA-256. A beta or
nightly build's version is its own plus the manifest's date
(``1.93.0-nightly-2026-11-01``): every nightly of a cycle is
``1.93.0-nightly``, and the date tells them apart (as rustup's toolchain
names ``nightly-2026-11-01`` do). The
archive is rust-installer's format: zr runs its ``install.sh
--prefix=<install dir> --disable-ldconfig`` (rust-docs left out), which
lays out ``bin/rustc``, ``bin/cargo`` and ``lib/``. ``RUSTUP_DIST_SERVER``
is honoured as a mirror. Ranges other than a version prefix are checked
against the stable channel only.
"""

from __future__ import annotations

import os
import re

from ..provider import Artifact, Release, Toolchain, UnsupportedPlatform
from ..versions import parse_version

_TRIPLES = {("linux", "x86_64"): "x86_64-unknown-linux-gnu",
            ("linux", "aarch64"): "aarch64-unknown-linux-gnu",
            ("darwin", "x86_64"): "x86_64-apple-darwin",
            ("darwin", "aarch64"): "aarch64-apple-darwin"}


_CHANNEL_BUILD = re.compile(r"^(beta|nightly)(?:\.\d+)?-(\d{4}-\d\d-\d\d)$")


class Rust(Toolchain):
    name = "rust"
    description = "Rust (static.rust-lang.org channel manifests)"
    upstream = "https://static.rust-lang.org"
    index_url = "https://static.rust-lang.org/dist/channel-rust-stable.toml"
    mirror_index = "dist/channel-rust-stable.toml"
    mirror_env = ("RUSTUP_DIST_SERVER",)
    lists_versions = False
    smoke = ("bin/rustc", "--version")
    idiomatic_files = ("rust-toolchain.toml", "rust-toolchain")

    def index_for(self, spec):
        if spec is not None and spec.channel:  # beta, nightly, nightly-2026-11-01
            dated = f"{spec.channel_date}/" if spec.channel_date else ""
            return f"dist/{dated}channel-rust-{spec.channel}.toml"
        channel = "stable"
        if spec is not None and not spec.is_alias and spec.alternatives:
            checks = spec.alternatives[0]
            if len(spec.alternatives) == 1 and len(checks) == 1 and checks[0][0] == "=":
                parts, tag = checks[0][1]
                build = _CHANNEL_BUILD.match(tag)
                if build:  # a version zr named (1.93.0-nightly-2026-11-01): its manifest
                    return f"dist/{build.group(2)}/channel-rust-{build.group(1)}.toml"
                channel = ".".join(str(n) for n in parts)
        return f"dist/channel-rust-{channel}.toml"

    def parse_index(self, data: bytes) -> list:
        try:
            import tomllib
        except ImportError:  # Python 3.10
            import tomli as tomllib
        doc = tomllib.loads(data.decode())
        package = doc.get("pkg", {}).get("rust", {})
        text = package.get("version", "").split(" ")[0]
        if re.search(r"-(beta|nightly)", text) and doc.get("date"):
            text = f"{text}-{doc['date']}"
        version = parse_version(text)
        return [Release(version, None, package.get("target", {}))] if version else []

    def artifact(self, release, platform, base):
        triple = platform.pick(_TRIPLES, "rust")
        target = release.data.get(triple) or {}
        if not target.get("available"):
            raise UnsupportedPlatform(f"rust {release.version} has no build for {triple}")
        return Artifact(target["url"], sha256=target.get("hash"))

    def post_extract(self, staged, run_command):
        """Run rust-installer's install.sh from a side dir into ``staged``."""
        installer = staged + ".installer"
        os.rename(staged, installer)
        os.makedirs(staged)
        argv = ["sh", os.path.join(installer, "install.sh"), f"--prefix={staged}",
                "--disable-ldconfig"]
        try:
            with open(os.path.join(installer, "components")) as fh:
                if "rust-docs" in fh.read().split():
                    argv.append("--without=rust-docs")
        except OSError:
            pass
        run_command(argv, cwd=installer)
        import shutil

        shutil.rmtree(installer, ignore_errors=True)

    def read_idiomatic(self, filename, text):
        if filename.endswith(".toml"):
            try:
                import tomllib
            except ImportError:  # Python 3.10
                import tomli as tomllib
            channel = tomllib.loads(text).get("toolchain", {}).get("channel")
        else:
            channel = super().read_idiomatic(filename, text)
        return "latest" if channel == "stable" else channel
