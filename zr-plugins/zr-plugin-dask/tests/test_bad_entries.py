"""A bad entry on the way between machines (an unsafe archive: here a
task's output is a link out of the project, which no restore writes) is
treated as a run on one machine treats a bad cache entry: it is not
restored, the run says which entry and why, and the entry is removed from
the remote cache so that nothing downloads it again. The task that needed
it fails with that message. Real cluster and nginx cache (conftest.py)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.services

# A task whose one output is a symbolic link to a file outside the project.
HOSTILE = """
[tasks.hostile]
cmd = 'mkdir -p out && ln -sfn /etc/hostname out/hostile.lnk'
outputs = ["out/hostile.lnk"]
"""


def removed_entry(dask_cluster, stderr: str) -> str:
    """The key of the bad entry the run named, checked gone from nginx's files."""
    match = re.search(r"entry ([0-9a-f]{64}) .*is bad: .*link.*; removed it from the remote",
                      stderr)
    assert match, stderr
    key = match.group(1)
    assert not (dask_cluster.cache.root_dir / "zr" / "ac" / key).exists()
    return key


def test_a_bad_entry_from_a_worker_is_not_restored_here_and_is_removed(dask_cluster):
    project = dask_cluster.checkout()
    with open(project.path / "zr.toml", "a") as toml:  # not committed: HEAD is unchanged
        toml.write(HOSTILE)
    result = project.run("run", "hostile", timeout=120)
    assert result.returncode == 1, result.output
    assert "the outputs of 'hostile' could not be restored here" in result.stderr
    removed_entry(dask_cluster, result.stderr)
    assert not (project.path / "out" / "hostile.lnk").is_symlink()
    assert "Traceback" not in result.output


def test_a_bad_entry_of_a_dependency_on_a_worker_fails_the_task_and_is_removed(dask_cluster):
    """The dependency runs here (``max_memory``) and is uploaded from here;
    the worker that runs the dependent finds the entry bad."""
    project = dask_cluster.checkout()
    with open(project.path / "zr.toml", "a") as toml:
        toml.write(HOSTILE + 'max_memory = "200MB"\n'
                   '\n[tasks.after]\ncmd = "echo ran > $SHARED/after.ran"\n'
                   'deps = ["hostile"]\n')
    ran = dask_cluster.shared / "after.ran"
    ran.unlink(missing_ok=True)
    result = project.run("run", "after", timeout=120)
    assert result.returncode == 1, result.output
    assert "could not restore the outputs of dependencies from the remote cache" \
        in result.stderr
    assert "of 'hostile' is bad" in result.stderr
    removed_entry(dask_cluster, result.stderr)
    assert not ran.exists(), "the dependent ran without its dependency's outputs"
    assert "Traceback" not in result.output
