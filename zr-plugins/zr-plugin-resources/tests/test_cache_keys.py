"""A limited task's cache key is the same in every checkout and with any
limit: the launcher (at this machine's ``sys.executable``) is how the task
runs here, and a limit does not change what a task that succeeds
produces. The launcher still runs: the dry run shows it."""

from __future__ import annotations

import sys

import pytest

pytestmark = pytest.mark.crossversion

TASK = '''
[tasks.build]
cmd = "echo built > out.txt"
outputs = ["out.txt"]
inputs = ["in.txt"]  # not zr.toml: only the task's own fields may change the key
cache = true
{limits}
'''
FILES = {"in.txt": "the input\n"}


def key(project, *args) -> str:
    result = project.run("cache", "key", "build", *args)
    assert result.returncode == 0, result.output
    return result.stdout


def test_two_checkouts_and_any_limit_share_the_key(checkouts):
    limited = checkouts.new(TASK.format(limits='max_memory = "200MB"\nmax_cpu = 0.5'), FILES)
    other = checkouts.new(TASK.format(limits='max_memory = "1GB"'), FILES)
    unlimited = checkouts.new(TASK.format(limits=""), FILES)

    explained = key(limited, "--explain")

    assert key(limited) == key(other) == key(unlimited)
    assert "zr_plugin_resources" not in explained and sys.executable not in explained


def test_a_different_command_still_changes_the_key(checkouts):
    limited = checkouts.new(TASK.format(limits='max_memory = "200MB"'), FILES)
    changed = checkouts.new(TASK.format(limits='max_memory = "200MB"').replace(
        "echo built", "echo other"), FILES)

    assert key(limited) != key(changed)


def test_the_dry_run_shows_the_launcher_around_the_command(zr_project):
    zr_project.write(TASK.format(limits='max_memory = "200MB"'))

    result = zr_project.run("run", "-n", "build")

    assert result.returncode == 0, result.output
    assert "-m zr_plugin_resources.launcher --memory" in result.stdout, result.stdout
