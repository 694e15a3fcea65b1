"""A task's cache key names its toolchain's version, not where it is
installed: two checkouts with their own homes (two machines) install go in
different directories, which go into PATH and GOROOT, and still share the
key; another version changes it."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.crossversion

TASK = '''
[tasks.build]
cmd = "go version > out.txt"
toolchain = ["go@{version}"]
outputs = ["out.txt"]
inputs = ["in.txt"]  # not zr.toml: only the toolchain may change the key
cache = true
'''
FILES = {"in.txt": "the input\n"}


def key(project, *args) -> str:
    result = project.run("cache", "key", "build", *args, timeout=120)
    assert result.returncode == 0, result.output
    return result.stdout


def checkout(checkouts, mirror, version="1.21"):
    return checkouts.new(TASK.format(version=version), FILES,
                         env=mirror.env(ZR_TOOLS_TIMEOUT="5", ZR_TOOL_GO=None))


def test_two_machines_share_the_key_of_a_toolchain_task(checkouts, mirror):
    first, second = checkout(checkouts, mirror), checkout(checkouts, mirror)

    explained = key(first, "--explain")

    assert key(first) == key(second)
    assert str(first.home) not in explained, explained
    assert re.search(r"^  toolchain go +1\.21\.6 ", explained, re.M), explained
    ran = first.run("run", "build", timeout=120)
    assert ran.returncode == 0, ran.output
    assert f"GOROOT={first.home}" in (first.path / "out.txt").read_text()


def test_another_version_changes_the_key(checkouts, mirror):
    assert key(checkout(checkouts, mirror)) != key(checkout(checkouts, mirror, "1.22"))
