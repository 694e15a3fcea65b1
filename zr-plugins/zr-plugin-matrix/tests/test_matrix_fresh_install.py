"""INSTALL TEST (slow: builds a fresh virtualenv, a few seconds).

`pip install zr-core zr-plugin-matrix` gives the kernel plus matrix tasks and
nothing else: checked from built (non-editable) wheels in a new venv made
with uv, outside the shared development environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def uv_command() -> str:
    candidate = Path(sys.executable).parent / "uv"
    found = str(candidate) if candidate.exists() else shutil.which("uv")
    if not found:
        pytest.fail("this test builds a venv with uv: install it (pip install uv)")
    return found


def run(argv, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, **kwargs)


@pytest.mark.install
def test_core_plus_matrix_has_matrix_but_names_the_plugin_for_workflows(tmp_path):
    venv = tmp_path / "venv"
    uv = uv_command()
    made = run([uv, "venv", "--quiet", str(venv)])
    assert made.returncode == 0, made.stderr
    # --no-sources: install what a user gets from the distributions'
    # metadata, not the workspace's editable links.
    installed = run([uv, "pip", "install", "--quiet", "--no-sources", "--python",
                     str(venv / "bin" / "python"), "./zr-core", "./zr-plugins/zr-plugin-matrix"],
                    cwd=REPO)
    assert installed.returncode == 0, installed.stderr

    project = tmp_path / "project"
    project.mkdir()
    env = {**os.environ, "ZR_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    env.pop("ZR_PROFILE", None)
    zr = str(venv / "bin" / "zr")

    def write(text: str) -> None:
        (project / "zr.toml").write_text(textwrap.dedent(text))

    write("""
        [tasks.test]
        cmd = "echo on ${matrix.os}"
        matrix = { os = ["linux", "mac"] }
    """)
    plugins = run([zr, "plugins"], cwd=project, env=env)
    assert plugins.returncode == 0, plugins.stderr
    assert "zr-plugin-matrix" in plugins.stdout
    assert "workflows" not in plugins.stdout and "zr-plugin-expr" not in plugins.stdout
    matrix = run([zr, "run", "test"], cwd=project, env=env)
    assert matrix.returncode == 0, matrix.stderr
    assert "test[os=linux] | on linux" in matrix.stdout
    assert "test[os=mac]   | on mac" in matrix.stdout
    where = run([str(venv / "bin" / "python"), "-c", "import zr, zr_plugin_matrix; "
                 "print(zr.__file__); print(zr_plugin_matrix.__file__)"], cwd=tmp_path)
    assert [line.startswith(str(venv)) for line in where.stdout.split()] == [True, True], where

    write("""
        [tasks.build]
        cmd = "true"

        [workflows.release]
        stages = [{ name = "build", tasks = ["build"] }]
    """)
    workflows = run([zr, "list"], cwd=project, env=env)
    assert workflows.returncode == 2
    # Without the plugin manager the hint is this environment's installer
    # (its pip, or uv's when the venv has no pip).
    assert ("zr.toml:5: workflows: no installed plugin handles [workflows] "
            "(zr-plugin-workflows provides it: install it with `") in workflows.stderr
    python = venv / "bin" / "python"
    assert (f"`{python} -m pip install zr-plugin-workflows`)" in workflows.stderr
            or f"`uv pip install --python {python} zr-plugin-workflows`)" in workflows.stderr), \
        workflows.stderr
