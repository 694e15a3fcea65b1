"""A ``deps_serial`` chain orders its own steps and nothing else: after a
failure with ``-k``, a task the chain would have run later still runs for
another target that needs it (after the failed step, as ordered), while the
chain itself stops. Through the real ``zr``."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.crossversion

# build and gen are release's later step and what it needs; docs needs build
# too but not lint. Each task leaves a file of its own; build and gen record
# whether lint had already ended when they started (the order edge).
PROJECT = """
[tasks.lint]
cmd = "sleep 0.3; echo done > lint.ended; exit 1"

[tasks.gen]
cmd = "if [ -f lint.ended ]; then echo after-lint; else echo before-lint; fi > gen.ran"

[tasks.build]
deps = ["gen"]
cmd = "if [ -f lint.ended ]; then echo after-lint; else echo before-lint; fi > build.ran"

[tasks.release]
deps_serial = ["lint", "build"]
cmd = "echo ran > release.ran"

[tasks.docs]
deps = ["build"]
cmd = "echo ran > docs.ran"
"""


def statuses(result) -> dict:
    return {row["task"]: row for row in json.loads(result.stdout)["tasks"]}


@pytest.mark.parametrize("mode", [[], ["--parallel"]], ids=["stages", "parallel"])
def test_keep_going_runs_a_chain_step_another_target_needs(zr_project, mode):
    zr_project.write(PROJECT)
    result = zr_project.run("run", "-k", "-j", "4", *mode, "--format", "json",
                            "release", "docs")
    assert result.returncode == 1, result.output
    rows = statuses(result)
    assert rows["lint"]["status"] == "failed"
    assert rows["release"]["status"] == "blocked"
    for name in ("gen", "build", "docs"):
        assert rows[name]["status"] == "success", result.output
    # still ordered after the failed step: the edge orders, it does not block
    assert (zr_project.path / "gen.ran").read_text() == "after-lint\n"
    assert (zr_project.path / "build.ran").read_text() == "after-lint\n"
    assert (zr_project.path / "docs.ran").exists()
    assert not (zr_project.path / "release.ran").exists()


def test_keep_going_stops_the_chain_when_nothing_else_needs_its_rest(zr_project):
    zr_project.write(PROJECT)
    result = zr_project.run("run", "-k", "-j", "4", "--format", "json", "release")
    assert result.returncode == 1, result.output
    rows = statuses(result)
    assert rows["lint"]["status"] == "failed"
    for name in ("gen", "build", "release"):
        assert rows[name]["status"] == "blocked", result.output
    assert "deps_serial of release" in rows["build"]["message"]
    assert "'lint' failed" in rows["build"]["message"]
    for name in ("gen", "build", "release"):
        assert not (zr_project.path / f"{name}.ran").exists()


def test_a_chain_step_blocked_in_an_earlier_stage_stops_the_chain_later(zr_project):
    zr_project.write(PROJECT)
    result = zr_project.run("run", "-k", "--format", "json", "lint", "release")
    assert result.returncode == 1, result.output
    rows = statuses(result)
    for name in ("gen", "build", "release"):
        assert rows[name]["status"] == "blocked", result.output
        assert not (zr_project.path / f"{name}.ran").exists()


def test_without_keep_going_nothing_new_starts_after_the_failure(zr_project):
    zr_project.write(PROJECT)
    result = zr_project.run("run", "-j", "4", "--format", "json", "release", "docs")
    assert result.returncode == 1, result.output
    for name in ("gen", "build", "release", "docs"):
        assert not (zr_project.path / f"{name}.ran").exists()


def test_an_order_edge_is_not_a_dependency_of_the_ordered_task(zr_project):
    zr_project.write(PROJECT)
    listed = {row["name"]: row for row in
              json.loads(zr_project.run("list", "--format", "json").stdout)}
    assert listed["build"]["deps"] == ["gen"]
    assert listed["gen"]["deps"] == []
    dry = zr_project.run("-n", "release", "docs")
    order = [line.split()[1] for line in dry.stdout.splitlines() if line.startswith("[")]
    assert order == ["lint", "gen", "build", "release", "docs"]
    text = zr_project.run("graph", "release").stdout
    assert "lint (after it: deps_serial of release)" in text
