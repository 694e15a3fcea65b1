"""A command, section, task field, option or expression name whose plugin is
not installed names the distribution and the command that installs it here.

The fresh-venv tests (a few seconds each) build real
environments with uv from the working tree: one without the plugin manager
(the hint is this interpreter's installer) and one with it (``zr plugin
install NAME``). The others use the development venv, where every plugin is
installed, with plugins left out by ``ZR_DISABLE_PLUGINS``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def run(argv, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, **kwargs)


def test_the_known_plugins_data_matches_what_the_installed_plugins_claim(tmp_path):
    checked = run([sys.executable, str(REPO / "scripts" / "known_plugins.py"), "--check"],
                  env={**os.environ, "ZR_DISABLE_PLUGINS": "", "ZR_PLUGINS": "",
                       "ZR_HOME": str(tmp_path / "home")})
    assert checked.returncode == 0, checked.stderr


def test_a_disabled_provider_is_named_as_installed_but_not_loaded(zr_project):
    zr_project.write('[tasks.a]\ncmd = "true"\ncondition = "true"\n')
    zr_project.env["ZR_DISABLE_PLUGINS"] = "expr,wasm"
    result = zr_project.run("list")
    assert result.returncode == 2
    assert ("tasks.a.condition: no installed plugin handles tasks.a.condition (zr-plugin-expr "
            "provides it and is installed but not loaded") in result.stderr
    assert "did you mean" not in result.stderr


def uv_command() -> str:
    candidate = Path(sys.executable).parent / "uv"
    uv = str(candidate) if candidate.exists() else shutil.which("uv")
    if not uv:
        pytest.fail("this test builds a venv with uv: install it (pip install uv)")
    return uv


def fresh_venv(tmp_path: Path, *distributions: str) -> Path:
    uv = uv_command()
    venv = tmp_path / "venv"
    made = run([uv, "venv", "--quiet", str(venv)])
    assert made.returncode == 0, made.stderr
    installed = run([uv, "pip", "install", "--quiet", "--no-sources", "--python",
                     str(venv / "bin" / "python"), "./zr-core", *distributions], cwd=REPO)
    assert installed.returncode == 0, installed.stderr
    return venv


class Project:
    def __init__(self, tmp_path: Path, venv: Path):
        self.path = tmp_path / "project"
        self.path.mkdir()
        self.zr = str(venv / "bin" / "zr")
        self.env = {**os.environ, "ZR_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
        # uv on PATH, as where it built the venv: the hint is then `uv pip`.
        self.env["PATH"] = f"{Path(uv_command()).parent}{os.pathsep}{os.environ['PATH']}"
        for name in ("ZR_PROFILE", "ZR_PLUGINS", "ZR_DISABLE_PLUGINS"):
            self.env.pop(name, None)

    def write(self, text: str) -> None:
        (self.path / "zr.toml").write_text(textwrap.dedent(text))

    def error(self, *args: str) -> str:
        """The one-line error of a usage or config problem."""
        result = run([self.zr, *args], cwd=self.path, env=self.env)
        assert result.returncode == 2, result
        assert "Traceback" not in result.stderr
        return result.stderr.strip()


def test_without_the_manager_each_hint_is_this_environments_installer(tmp_path):
    venv = fresh_venv(tmp_path, "./zr-plugins/zr-plugin-expr")
    project = Project(tmp_path, venv)
    install = f"uv pip install --python {venv / 'bin' / 'python'}"  # uv's venvs have no pip
    project.write('[tasks.a]\ncmd = "true"\n')
    assert project.error("watch") == (
        "zr: error: no task or command named 'watch': `zr watch` is a plugin's command; "
        f"zr-plugin-watch provides it: install it with `{install} zr-plugin-watch`")
    assert project.error("workflow", "--help") == (
        "zr: error: no command named 'workflow': `zr workflow` is a plugin's command; "
        f"zr-plugin-workflows provides it: install it with `{install} zr-plugin-workflows`")
    for cmd, dist in (("cache", "zr-plugin-cache"), ("history", "zr-plugin-history"),
                      ("plugin", "zr-plugin-manager")):
        assert f"provides it: install it with `{install} {dist}`" in project.error(cmd), cmd
    assert project.error("--profile", "ci", "a") == (
        "zr: error: no such option: --profile; zr-plugin-profiles provides it: install it "
        f"with `{install} zr-plugin-profiles`")

    project.write("""
        [plugins]
        required = ["zr-plugin-git"]
    """)
    assert (f"no installed plugin handles [plugins] (zr-plugin-manager provides it: install "
            f"it with `{install} zr-plugin-manager`)") in project.error("list")

    project.write("""
        [tasks.a]
        cmd = "true"
        condition = "git.dirty"
    """)
    assert ("tasks.a.condition: unknown name 'git.dirty' at column 1 (zr-plugin-git provides "
            f"it: install it with `{install} zr-plugin-git`)") in project.error("a")


def test_with_the_manager_the_hint_is_zr_plugin_install(tmp_path):
    venv = fresh_venv(tmp_path, "./zr-plugins/zr-plugin-manager")
    project = Project(tmp_path, venv)
    project.write("""
        [tasks.a]
        cmd = "true"
        condition = "true"
    """)
    assert project.error("list").endswith(
        "zr.toml:4: tasks.a.condition: no installed plugin handles tasks.a.condition "
        "(zr-plugin-expr provides it: install it with `zr plugin install expr`)")
    project.write('[tasks.a]\ncmd = "true"\n')
    assert project.error("watch").endswith(
        "zr-plugin-watch provides it: install it with `zr plugin install watch`")
    # The named plugin is one the manager can install by that name.
    info = run([str(venv / "bin" / "zr"), "plugin", "search", "watch"], cwd=project.path,
               env=project.env)
    assert "zr-plugin-watch" in info.stdout, info
