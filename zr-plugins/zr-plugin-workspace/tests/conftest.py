"""Fixtures of the workspace plugin's tests: a generated 200-member monorepo
with git history (built once per session; tests that change files work on
their own copy) and a runner for the real ``zr``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import workspace_fixture  # noqa: E402

MEMBERS = 200


class Zr:
    """Runs the real ``zr`` in a directory with an isolated ZR_HOME."""

    def __init__(self, home: Path):
        from zr.testing import zr_executable

        self.exe = zr_executable()
        self.env = {**os.environ, "ZR_HOME": str(home), "NO_COLOR": "1"}
        for var in ("ZR_CACHE_DIR", "ZR_AFFECTED_BASE", "ZR_PROFILE"):
            self.env.pop(var, None)

    def __call__(self, cwd, *args, env=None):
        proc = subprocess.run([self.exe, *map(str, args)], cwd=cwd, capture_output=True,
                              text=True, env={**self.env, **(env or {})},
                              stdin=subprocess.DEVNULL, timeout=300)
        proc.output = proc.stdout + proc.stderr
        return proc


@pytest.fixture(scope="session")
def zr(tmp_path_factory, zr_plugin_index):
    home = tmp_path_factory.mktemp("zr-home")
    if zr_plugin_index.is_dir():
        shutil.copytree(zr_plugin_index, home / "cache" / "plugins")
    return Zr(home)


@pytest.fixture(scope="session")
def monorepo(tmp_path_factory):
    """The generated workspace on branch ``main``, plus a branch ``feature``
    (checked out) whose one commit changes ``lib-13``'s sources."""
    root = tmp_path_factory.mktemp("monorepo") / "repo"
    deps = workspace_fixture.generate(root, MEMBERS)
    workspace_fixture.git(root, "checkout", "-q", "-b", "feature")
    (root / "packages/lib-13/src/index.txt").write_text("changed\n")
    workspace_fixture.commit_all(root, "change lib-13")
    return root, deps


@pytest.fixture
def repo_copy(monorepo, tmp_path):
    """A private copy of the monorepo (with its .git) to change files in."""
    root, deps = monorepo
    copy = tmp_path / "repo"
    shutil.copytree(root, copy, symlinks=True)
    return copy, deps
