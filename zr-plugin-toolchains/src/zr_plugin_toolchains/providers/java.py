"""Java (Eclipse Temurin) from the Adoptium API v3: available releases,
then the GA builds of a feature version, each with its package's SHA-256.
``JAVA_HOME`` is the install dir. ``lts`` is the API's LTS list."""

from __future__ import annotations

import json

from ..provider import Artifact, Release, Toolchain, UnsupportedPlatform
from ..versions import parse_version

_OS = {"linux": "linux", "darwin": "mac"}
_ARCH = {"x86_64": "x64", "aarch64": "aarch64"}


class Java(Toolchain):
    name = "java"
    description = "Java, Eclipse Temurin JDK (api.adoptium.net)"
    upstream = "https://api.adoptium.net"
    index_url = "https://api.adoptium.net/v3/info/available_releases"
    mirror_index = "v3/info/available_releases"
    rewrites = ("https://github.com/adoptium",)
    lists_versions = False
    smoke = ("bin/java", "-version")
    idiomatic_files = (".java-version", ".sdkmanrc")

    def index_for(self, spec):
        """The GA builds of the feature version the spec names (``21``)."""
        feature = _feature(spec)
        if feature is None:
            return None
        return (f"v3/assets/feature_releases/{feature}/ga?image_type=jdk&jvm_impl=hotspot"
                "&page_size=50&sort_order=DESC")

    def parse_index(self, data: bytes) -> list:
        doc = json.loads(data)
        if isinstance(doc, dict):  # available_releases: one pseudo-release per feature
            lts = set(doc.get("available_lts_releases", ()))
            return [Release(parse_version(str(n)), "lts" if n in lts else None, None)
                    for n in doc.get("available_releases", ())]
        found = []
        for entry in doc:
            text = entry.get("version_data", {}).get("semver", "")
            version = parse_version(text)
            if version is not None:
                found.append(Release(version, None, entry))
        return found

    def artifact(self, release, platform, base):
        if release.data is None:
            raise UnsupportedPlatform(f"java {release.version}: name a feature version "
                                      "(java@21) so zr can list its builds")
        os_name, arch = _OS.get(platform.os), _ARCH.get(platform.arch)
        for binary in release.data.get("binaries", ()):
            if (binary.get("os") == os_name and binary.get("architecture") == arch
                    and binary.get("image_type", "jdk") == "jdk"):
                package = binary["package"]
                return Artifact(package["link"], sha256=package.get("checksum"),
                                filename=package.get("name"))
        raise UnsupportedPlatform(f"java {release.version} has no JDK for {platform.key}")

    def env(self, home):
        return {"JAVA_HOME": home}

    def read_idiomatic(self, filename, text):
        if filename.endswith(".sdkmanrc"):
            for line in text.splitlines():
                if line.strip().startswith("java="):
                    return line.split("=", 1)[1].split("-")[0].strip() or None
            return None
        spec = super().read_idiomatic(filename, text)
        return spec.split("-")[-1] if spec and "-" in spec else spec


def _feature(spec):
    """The feature version (major) a spec pins, or None (latest/lts first
    need the list of feature versions)."""
    if spec is None or spec.is_alias or not spec.alternatives:
        return None
    checks = spec.alternatives[0]
    if checks and checks[0][0] in ("=", ">="):
        return checks[0][1][0][0]
    return None
