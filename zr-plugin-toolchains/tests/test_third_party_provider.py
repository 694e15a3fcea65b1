"""A ninth toolchain from another plugin, through the zr_toolchains hook."""

from __future__ import annotations

import json
import os
from pathlib import Path

import toolchain_upstream as upstream

PLUGINS = str(Path(__file__).resolve().parent / "plugins")


def test_a_plugin_adds_a_toolchain(project, own_mirror):
    base = Path(own_mirror.root) / "hello"
    machine = os.uname().machine.lower()
    arch = {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)
    name = f"hello-1.2.0-linux-{arch}.tar.gz"
    archive = upstream.make_tar(str(base / "1.2.0" / name), {
        "hello-1.2.0/bin/hello": upstream.script('echo "hello 1.2.0 from $HELLO_HOME"')})
    (base / "1.2.0" / "SHA256SUMS").write_text(f"{upstream.sha256(archive)}  {name}\n")
    (base / "index.json").write_text(json.dumps({"versions": ["1.1.0", "1.2.0"]}))
    project.write("""
        [tools]
        hello = "1"

        [tasks.greet]
        cmd = "hello"
    """)
    env = {"ZR_PLUGINS": "zr_hello_toolchain", "ZR_STRICT_PLUGINS": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [PLUGINS, os.environ.get("PYTHONPATH")])),
           "ZR_MIRROR_HELLO": f"{own_mirror.url}/hello"}

    result = project.run("run", "greet", env=env)
    listed = project.run("tools", "list", "--format", "json", env=env)

    home = project.home / "data" / "toolchains" / "hello" / "1.2.0"
    assert result.returncode == 0, result.output
    assert f"greet | hello 1.2.0 from {home}" in result.stdout
    assert any(r["tool"] == "hello" and r["version"] == "1.2.0"
               for r in json.loads(listed.stdout)["tools"])
