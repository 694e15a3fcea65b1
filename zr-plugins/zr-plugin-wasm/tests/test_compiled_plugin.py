"""A plugin built from real C source by a real compiler (PyPI ``ziglang``:
``zig cc --target=wasm32-wasi``, wasi-libc included), run through ``zr run``.

The first build compiles wasi-libc (about a minute on 2 cores); zig's cache
is kept in the temp dir so later sessions take a fraction of a second.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.crossversion

SOURCE = Path(__file__).parent / "c_plugin" / "policy.c"


@pytest.fixture(scope="session")
def policy_wasm(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("c_plugin") / "policy.wasm"
    env = {**os.environ, "ZIG_GLOBAL_CACHE_DIR": os.path.join(tempfile.gettempdir(),
                                                               "zr-test-zig-cache")}
    build = subprocess.run(
        [sys.executable, "-m", "ziglang", "cc", "--target=wasm32-wasi", "-mexec-model=reactor",
         "-Os", "-s", "-o", str(out), str(SOURCE)],
        env=env, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stderr
    return out


def test_a_c_plugin_built_by_zig_runs_in_zr(zr_project, policy_wasm):
    (zr_project.path / "plugins").mkdir()
    (zr_project.path / "plugins" / "policy.wasm").write_bytes(policy_wasm.read_bytes())
    (zr_project.path / "shared").mkdir()
    (zr_project.path / "shared" / "motd.txt").write_text("builds are green\n")
    zr_project.write("""
        [plugins.wasm.policy]
        path = "plugins/policy.wasm"
        allowed_paths = { "./shared" = "/data" }
        config = { greeting = "hello from C" }

        [tasks.build]
        cmd = "echo GREETING=$GREETING"
        condition = "policy.shout('abc') == 'ABC'"
    """)
    result = zr_project.run("run", "build")
    assert result.returncode == 0, result.output
    assert "C plugin saw task build; motd: builds are green" in result.stderr
    assert "GREETING=hello from C" in result.stdout


def test_without_the_mount_the_c_plugin_sees_no_file(zr_project, policy_wasm):
    (zr_project.path / "policy.wasm").write_bytes(policy_wasm.read_bytes())
    zr_project.write("""
        [plugins.wasm.policy]
        path = "policy.wasm"

        [tasks.build]
        cmd = "echo GREETING=$GREETING"
    """)
    result = zr_project.run("run", "build")
    assert result.returncode == 0, result.output
    assert "C plugin saw task build; motd: no motd" in result.stderr
    assert "GREETING=none" in result.stdout
