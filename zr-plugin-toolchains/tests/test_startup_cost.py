"""What a run imports of this plugin: nothing beyond its hooks without
toolchains, and no provider, index or install code once the project's
toolchains are installed and were activated before."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("zr_plugin_toolchains.providers", "zr_plugin_toolchains.toolbox",
         "zr_plugin_toolchains.net", "zr_plugin_toolchains.install", "tarfile", "urllib.request",
         "cryptography")


def imported(project, *args, env=None) -> set:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "zr", *args],
                          cwd=project.path, env={**project.env, **(env or {})},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:")}


def test_a_project_without_toolchains(project, mirror):
    project.write("""
        [tasks.t]
        cmd = "true"
    """)
    project.run("run", "t")

    modules = imported(project, "run", "t")

    assert "zr.plugins" in modules  # the log was read
    assert not {m for m in modules if m.startswith("zr_plugin_toolchains.")} - {
        "zr_plugin_toolchains.plugin", "zr_plugin_toolchains.runtime"}
    assert not modules & set(HEAVY)


def test_installed_toolchains_are_activated_without_providers(project, mirror):
    project.write("""
        [tools]
        node = "20"

        [tasks.t]
        cmd = "node --version"
    """)
    assert project.run("run", "t").returncode == 0

    modules = imported(project, "run", "t")

    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert "zr_plugin_toolchains.activations" in modules


def test_a_signed_toolchain_is_not_checked_again_on_later_runs(project, mirror):
    from minisign_signer import MIRROR_KEY

    project.write(f"""
        [tools.zig]
        version = "0.13"
        minisign_key = "{MIRROR_KEY.public}"

        [tasks.t]
        cmd = "zig version"
    """)
    assert project.run("run", "t").returncode == 0

    modules = imported(project, "run", "t")

    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
