"""The plugin costs nothing where it is not used: ``zr list`` and ``zr run``
of a plain project never import it, and a workspace only imports its small
member hook."""

from __future__ import annotations

import subprocess
import sys


def imported(zr_project, *args) -> set:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "zr", *args],
                          cwd=zr_project.path, env=zr_project.env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return {line.split("|")[-1].strip() for line in proc.stderr.splitlines()
            if line.startswith("import time:")}


def test_plain_project_does_not_import_the_plugin(zr_project):
    zr_project.write('[tasks.hello]\ncmd = "true"\n')
    for args in (("list",), ("run", "hello")):
        modules = imported(zr_project, *args)
        assert not {m for m in modules if m.startswith("zr_plugin_repos")}, args


def test_workspace_project_imports_only_the_member_hook(zr_project):
    zr_project.write('[workspace]\nmembers = ["packages/*"]\n\n[tasks.hello]\ncmd = "true"\n')
    zr_project.file("packages/a/zr.toml", '[tasks.build]\ncmd = "true"\n')
    imported(zr_project, "list")  # the first load may index the plugins
    modules = {m for m in imported(zr_project, "list") if m.startswith("zr_plugin_repos")}
    assert "zr_plugin_repos.members" in modules  # the workspace plugin asked for members
    assert modules <= {"zr_plugin_repos", "zr_plugin_repos.plugin", "zr_plugin_repos.members"}
