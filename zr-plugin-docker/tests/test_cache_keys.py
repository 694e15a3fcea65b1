"""A container task's cache key is the same in every checkout (the
``docker run`` words hold the checkout's path and the caller's uid, which
are how it runs there, not what it computes), and changes with what the
container is: its image, network, volumes, user. No daemon is needed to
compute a key."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.crossversion

TASK = '''
[tasks.build]
cmd = "echo built > out.txt"
container = {{ image = "{image}", network = "none"{extra} }}
outputs = ["out.txt"]
inputs = ["in.txt"]  # not zr.toml: only the task's own fields may change the key
cache = true
'''
FILES = {"in.txt": "the input\n"}


def key(project, *args) -> str:
    result = project.run("cache", "key", "build", *args)
    assert result.returncode == 0, result.output
    return result.stdout


def zr_toml(image="busybox:1.36", extra=""):
    return TASK.format(image=image, extra=extra)


def test_two_checkouts_share_the_key_of_a_container_task(checkouts):
    first, second = checkouts.new(zr_toml(), FILES), checkouts.new(zr_toml(), FILES)

    explained = key(first, "--explain")

    assert key(first) == key(second)
    assert "docker" not in explained and str(first.path) not in explained
    assert re.search(r'^  wrapped in +container \{"image": "busybox:1.36"', explained, re.M)


@pytest.mark.parametrize("change", [
    {"image": "busybox:1.37"},
    {"extra": ', user = "1234:1234"'},
    {"extra": ', volumes = ["data:/data"]'},
])
def test_what_the_container_is_changes_the_key(checkouts, change):
    before = checkouts.new(zr_toml(), FILES)
    after = checkouts.new(zr_toml(**change), FILES)

    assert key(before) != key(after)


def test_the_dry_run_shows_the_docker_run_around_the_command(zr_project):
    zr_project.write(zr_toml())

    result = zr_project.run("run", "-n", "build")

    assert result.returncode == 0, result.output
    assert "docker run --rm --init" in result.stdout, result.stdout
    assert "busybox:1.36 sh -e -c 'echo built > out.txt'" in result.stdout, result.stdout
