"""A third-party toolchain, added the way docs/toolchains.md shows: a
provider registered from ``zr_toolchains``. Its upstream is a JSON list of
versions and a tarball plus SHA256SUMS per version."""

import json

from zr.api import hookimpl


@hookimpl
def zr_toolchains(register):
    from zr_plugin_toolchains.provider import Artifact, Release, Toolchain
    from zr_plugin_toolchains.versions import parse_version

    class Hello(Toolchain):
        name = "hello"
        upstream = "https://hello.example.com/releases"
        index_url = "https://hello.example.com/releases/index.json"
        mirror_index = "index.json"
        smoke = ("bin/hello", "--version")

        def parse_index(self, data):
            return [Release(parse_version(v)) for v in json.loads(data)["versions"]]

        def artifact(self, release, platform, base):
            v = release.version.text
            return Artifact(f"{base}/{v}/hello-{v}-{platform.os}-{platform.arch}.tar.gz",
                            checksum_url=f"{base}/{v}/SHA256SUMS")

        def env(self, home):
            return {"HELLO_HOME": home}

    register(Hello())
