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


NO_BASE = {"ZR_AFFECTED_BASE": "", "CI": ""}


def _stamped(stamp_dir) -> set:
    return {path.name.split(".")[0] for path in stamp_dir.iterdir() if path.name.endswith(".end")}


def test_affected_compares_each_repo_with_its_own_history(zr_project, synced, stamp_dir, kit):
    src = zr_project.path / "src"
    for name in kit.FIVE:
        kit.git("tag", "base", cwd=src / name)
    synced["util"].commit("lib.txt", "new\n", "util: change")
    assert zr_project.run("repo", "sync").returncode == 0
    assert zr_project.run("workspace", "sync").returncode == 0
    root = zr_project.run("workspace", "path").stdout.strip()

    result = zr_project.run("affected", "-c", root, "--affected", "base", "--format", "json",
                            env=NO_BASE)
    assert result.returncode == 0, result.output
    report = json.loads(result.stdout)
    assert {row["name"] for row in report["affected"]} == {"util", "api", "web"}
    assert report["changed"] == ["util:lib.txt"]
    assert {r["member"] for r in report["repositories"]} == set(kit.FIVE)
    explain = zr_project.run("affected", "-c", root, "--affected", "base", "--explain",
                             env=NO_BASE)
    assert "web: depends on api -> util: util:lib.txt (added)" in explain.stdout

    # ZR_AFFECTED_BASE gives the base of `--affected` without a REF, in every repo
    run = zr_project.run("run", "-c", root, "build", "--affected", "-j", "3",
                         env={**NO_BASE, "ZR_AFFECTED_BASE": "base"}, timeout=180)
    assert run.returncode == 0, run.output
    ran = _stamped(stamp_dir)
    # the affected builds, plus what they depend on (api's ^build: core); never cli
    assert {"util", "api", "web"} <= ran and "cli" not in ran


def test_affected_in_ci_uses_each_repos_default_branch(zr_project, synced, kit):
    assert zr_project.run("workspace", "sync").returncode == 0
    root = zr_project.run("workspace", "path").stdout.strip()
    src = zr_project.path / "src"
    (src / "cli" / "README").write_text("edited, not committed\n")
    (src / "core" / "notes.txt").write_text("untracked\n")
    kit.git("add", "notes.txt", cwd=src / "core")
    kit.git("commit", "-q", "-m", "core: local commit", cwd=src / "core")

    ci = {**NO_BASE, "CI": "true"}
    listing = zr_project.run("workspace", "list", "-c", root, "--affected", "--no-dependents",
                             "--format", "json", env=ci)
    assert listing.returncode == 0, listing.output
    assert {row["name"] for row in json.loads(listing.stdout)} == {"cli", "core"}
    summary = zr_project.run("affected", "-c", root, "--affected", env=ci)
    assert "merge-base of origin/main and HEAD in each of 5 member repositories" \
        in summary.stderr
    # core's dependents come along without --no-dependents
    assert set(summary.stdout.split()) == {"core", "api", "web", "cli"}

    outside = zr_project.run("run", "-c", root, "build", "--affected", env=NO_BASE)
    assert outside.returncode == 2, outside.output
    assert "--affected without a REF needs a base to compare with" in outside.stderr


def test_affected_with_a_ref_one_repo_lacks_names_the_repo(zr_project, synced, kit):
    for name in kit.FIVE:
        if name != "api":
            kit.git("tag", "release", cwd=zr_project.path / "src" / name)
    assert zr_project.run("workspace", "sync").returncode == 0
    root = zr_project.run("workspace", "path").stdout.strip()
    result = zr_project.run("run", "-c", root, "build", "--affected", "release",
                            env=NO_BASE)
    assert result.returncode == 2, result.output
    assert "in workspace member 'api' (a git repository of its own" in result.stderr
    assert "this clone has no 'release'" in result.stderr
    assert "Traceback" not in result.output


def test_affected_in_a_workspace_synced_before_checkouts_were_recorded(zr_project, synced):
    assert zr_project.run("workspace", "sync").returncode == 0
    root = Path(zr_project.run("workspace", "path").stdout.strip())
    state = root.parent / ".zr-repos-workspace.json"
    data = json.loads(state.read_text())
    del data["repositories"]
    state.write_text(json.dumps(data))
    result = zr_project.run("run", "-c", str(root), "build", "--affected", "HEAD",
                            env=NO_BASE)
    assert result.returncode == 2, result.output
    assert "run `zr workspace sync` again" in result.stderr
