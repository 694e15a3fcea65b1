"""Fixtures: a mirror tree in every toolchain's upstream layout (built once
per session) and a real HTTP server on 127.0.0.1 serving it (one per test,
so a test may inject faults, read its request log or kill it)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # --import-mode=importlib leaves sys.path alone
    sys.path.insert(0, str(HERE))

import toolchain_upstream as upstream  # noqa: E402
from toolchain_mirror import TOOLS, MirrorServer  # noqa: E402


def build_tree(root) -> None:
    upstream.node_release(root, "18.19.0", lts="Hydrogen")
    upstream.node_release(root, "20.9.0", lts="Iron")
    upstream.node_release(root, "20.11.1", lts="Iron")
    upstream.node_release(root, "21.6.1")
    upstream.go_release(root, "1.21.6")
    upstream.go_release(root, "1.22.1")
    upstream.zig_release(root, "0.13.0")
    upstream.deno_release(root, "1.40.0")
    upstream.bun_release(root, "1.1.0")
    upstream.python_release(root, "3.11.9")
    upstream.python_release(root, "3.12.4")
    upstream.rust_release(root, "1.75.0", channels=("1.75", "stable"))
    upstream.rust_release(root, "1.76.0-beta.5", "2024-01-10", channel="beta")
    upstream.rust_release(root, "1.77.0-nightly", "2024-01-09", channel="nightly")
    upstream.rust_release(root, "1.77.0-nightly", "2024-01-10", channel="nightly")
    upstream.java_release(root, 21, "21.0.5", 11)


@pytest.fixture(scope="session")
def mirror_tree(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mirror")
    build_tree(str(root))
    return root


@pytest.fixture
def mirror(mirror_tree, tmp_path):
    workdir = tmp_path / "mirror-server"
    workdir.mkdir()
    server = MirrorServer(mirror_tree, workdir).start()
    yield server
    server.stop()


@pytest.fixture
def own_mirror(mirror_tree, tmp_path, zr_project):
    """A mirror on a private copy of the tree, for tests that add releases;
    the ``project`` fixture's runs use it instead of the shared one."""
    import shutil

    tree = tmp_path / "own-mirror-tree"
    shutil.copytree(mirror_tree, tree, symlinks=True)
    workdir = tmp_path / "own-mirror-server"
    workdir.mkdir()
    server = MirrorServer(tree, workdir).start()
    zr_project.env.update(server.env())
    yield server
    server.stop()


@pytest.fixture
def project(zr_project, mirror):
    """A zr project whose runs download from the test mirror."""
    zr_project.env.update(mirror.env(ZR_TOOLS_TIMEOUT="5"))
    for name in ("NODEJS_ORG_MIRROR", "RUSTUP_DIST_SERVER", "UV_PYTHON_INSTALL_MIRROR",
                 "GITHUB_TOKEN", *(f"ZR_TOOL_{t.upper()}" for t in TOOLS)):
        zr_project.env.pop(name, None)
    return zr_project
