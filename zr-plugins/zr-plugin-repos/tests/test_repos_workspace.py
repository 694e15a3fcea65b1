"""``zr workspace sync|path|remove``: the repos as members of one workspace
of the workspace plugin, kept under zr's state dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def synced(zr_project, five_upstreams, tmp_path, kit):
    bare_dir = tmp_path / "bare"
    bare_dir.mkdir()
    ups = five_upstreams(bare_dir)
    zr_project.write(kit.manifest_text({n: up.bare.as_uri() for n, up in ups.items()},
                                       extra={"web": ['tags = ["ui"]']}), "zr-repos.toml")
    assert zr_project.run("repo", "sync").returncode == 0
    return ups


def test_synthetic_workspace_members_graph_and_run(zr_project, synced, stamp_dir, kit):
    result = zr_project.run("workspace", "sync")
    assert result.returncode == 0, result.output
    assert "5 member(s)" in result.stdout
    root = Path(zr_project.run("workspace", "path").stdout.strip())
    assert root.is_file()
    assert root.is_relative_to(zr_project.home / "state")  # zr's state dir, not the project

    graph = zr_project.run("graph", "-c", str(root), "--format", "json")
    assert graph.returncode == 0, graph.output
    assert all(name in graph.stdout for name in kit.FIVE)

    listing = json.loads(zr_project.run("list", "-c", str(root), "--format", "json").stdout)
    names = {entry["name"] for entry in listing}
    assert {f"{name}:build" for name in kit.FIVE} <= names

    run = zr_project.run("workspace", "run", "-c", str(root), "build", "-j", "3", timeout=180)
    assert run.returncode == 0, run.output
    seen = {}
    for path in stamp_dir.iterdir():
        name, kind = path.name.split(".")
        seen.setdefault(name, {})[kind] = float(path.read_text())
    assert set(seen) == set(kit.FIVE)
    for name, deps in kit.FIVE.items():  # the dependencies of zr-repos.toml
        for dep in deps:
            assert seen[dep]["end"] <= seen[name]["start"], f"{name} before {dep}"


def test_sync_refreshes_and_remove_deletes(zr_project, synced):
    assert zr_project.run("workspace", "sync").returncode == 0
    root = Path(zr_project.run("workspace", "path").stdout.strip())
    core = zr_project.path / "src" / "core" / "zr.toml"
    core.write_text(core.read_text() + '\n[tasks.lint]\ncmd = "true"\n')
    before = json.loads(zr_project.run("list", "-c", str(root), "--format", "json").stdout)
    assert "core:lint" not in {entry["name"] for entry in before}
    assert zr_project.run("workspace", "sync").returncode == 0
    after = json.loads(zr_project.run("list", "-c", str(root), "--format", "json").stdout)
    assert "core:lint" in {entry["name"] for entry in after}

    removed = zr_project.run("workspace", "remove")
    assert removed.returncode == 0 and "removed" in removed.stdout
    assert not root.parent.exists()
    assert (zr_project.path / "src" / "core" / "zr.toml").is_file()  # checkouts stay
    gone = zr_project.run("workspace", "path")
    assert gone.returncode == 2 and "zr workspace sync" in gone.stderr
    again = zr_project.run("workspace", "remove")
    assert again.returncode == 0 and "nothing to remove" in again.stdout


def test_repos_not_cloned_are_left_out(zr_project, synced):
    import shutil

    shutil.rmtree(zr_project.path / "src" / "api")
    result = zr_project.run("workspace", "sync")
    assert result.returncode == 0, result.output
    assert "4 member(s)" in result.stdout
    assert "api: left out: not cloned" in result.stdout
    root = zr_project.run("workspace", "path").stdout.strip()
    # web depended on api: it now comes after api's own dependencies directly
    web = (Path(root).parent / "members" / "web" / "zr.toml").read_text()
    assert 'dependencies = ["core", "util"]' in web
