"""A project without a workspace pays nothing for the workspace plugin: `zr
list` and a plain `zr run` import only its thin hook module; a workspace
run imports no click (commands load only for their own commands)."""

from __future__ import annotations

import subprocess
import sys


def _imported(zr, cwd, *args) -> set:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "zr", *args], cwd=cwd,
                          env=zr.env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()
            if line.startswith("import time:")}


def test_plain_project(zr, tmp_path):
    (tmp_path / "zr.toml").write_text('[tasks.a]\ncmd = "true"\n')
    _imported(zr, tmp_path, "list")  # validates zr.toml once; later runs reuse it
    for args in (["list"], ["run", "a"]):
        modules = _imported(zr, tmp_path, *args)
        ours = {m for m in modules if m.startswith("zr_plugin_workspace")}
        assert ours <= {"zr_plugin_workspace", "zr_plugin_workspace.plugin"}, ours


def test_workspace_run_imports_no_click(zr, monorepo):
    root, _ = monorepo
    _imported(zr, root, "run", "lib-2:test")  # warm: configs validated, plugin index built
    modules = _imported(zr, root, "run", "lib-2:test")
    assert "zr_plugin_workspace.expand" in modules
    assert "click" not in modules
    assert "zr_plugin_workspace.commands" not in modules
    assert "zr_plugin_workspace.affected" not in modules
