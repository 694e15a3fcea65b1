"""Fan-out from the root, member:task, ^build order, inherited templates and
--filter, on the generated 200-member workspace with the real zr."""

from __future__ import annotations

import json

import pytest


def _order(root):
    return (root / "order.log").read_text().split()


def _build_members(result) -> set:
    """Members whose build a dry run plans (``[i/n] member:build`` lines)."""
    return {line.split()[1].split(":")[0] for line in result.stdout.splitlines()
            if line.startswith("[") and line.split()[-1].endswith(":build")}


def test_build_at_the_root_runs_every_member_after_its_dependencies(zr, repo_copy):
    root, deps = repo_copy
    result = zr(root, "run", "build", "-j", "4")
    assert result.returncode == 0, result.output
    order = _order(root)
    assert sorted(order) == sorted(deps)
    position = {name: index for index, name in enumerate(order)}
    for member, its_deps in deps.items():
        for dep in its_deps:
            assert position[dep] < position[member], (dep, member)


def test_member_task_by_name_runs_in_its_directory_with_dependencies_first(zr, repo_copy):
    root, deps = repo_copy
    result = zr(root, "run", "lib-5:build", "-j", "1")
    assert result.returncode == 0, result.output
    assert _order(root) == ["shared-0", "shared-1", "lib-2", "lib-3", "lib-4", "lib-5"]
    assert (root / "packages/lib-5/../../order.log").exists()


def test_inherited_template_runs_in_each_member_and_member_env_is_set(zr, monorepo):
    root, deps = monorepo
    result = zr(root, "run", "lint", "--filter", "app-8", "--filter", "shared-0")
    assert result.returncode == 0, result.output
    assert "lint app-8" in result.stdout and "lint shared-0" in result.stdout
    assert "lint lib-2" not in result.stdout


def test_member_overrides_a_template(zr, repo_copy):
    root, _ = repo_copy
    toml = root / "packages/lib-2/zr.toml"
    toml.write_text(toml.read_text() + '\n[tasks.lint]\ncmd = "echo own lint"\n')
    result = zr(root, "run", "lint", "--filter", "lib-2", "--filter", "lib-3")
    assert result.returncode == 0, result.output
    assert "own lint" in result.stdout and "lint lib-3" in result.stdout
    assert "lint lib-2" not in result.stdout


def test_test_fans_out_only_to_members_that_have_it(zr, monorepo):
    root, deps = monorepo
    result = zr(root, "-n", "run", "test")
    assert result.returncode == 0, result.output
    tested = {line.split()[1].split(":")[0] for line in result.stdout.splitlines()
              if line.startswith("[") and line.split()[-1].endswith(":test")}
    assert tested == {m for m in deps if not m.startswith("shared-")}


@pytest.mark.parametrize("filters, expected", [
    (["lib-13"], {"lib-13"}),
    (["app-*"], None),
    (["tag:shared"], None),
    (["./apps"], None),
    (["lib-13..."], {"lib-13", "lib-12", "shared-11", "shared-10", "shared-1", "shared-0"}),
    (["lib-13^..."], {"lib-12", "shared-11", "shared-10", "shared-1", "shared-0"}),
    (["tag:scope:a", "!tag:lib"], None),
])
def test_filters_select_members(zr, monorepo, filters, expected):
    root, deps = monorepo
    args = [a for f in filters for a in ("--filter", f)]
    result = zr(root, "workspace", "list", "--format", "json", *args)
    assert result.returncode == 0, result.output
    names = {row["name"] for row in json.loads(result.stdout)}
    rows = {row["name"]: row for row in json.loads(zr(root, "workspace", "list", "--format",
                                                        "json").stdout)}
    if expected is None:
        text = filters[0]
        if text == "app-*":
            expected = {n for n in rows if n.startswith("app-")}
        elif text == "tag:shared":
            expected = {n for n, r in rows.items() if "shared" in r["tags"]}
        elif text == "./apps":
            expected = {n for n, r in rows.items() if r["path"].startswith("apps/")}
        else:
            expected = {n for n, r in rows.items()
                        if "scope:a" in r["tags"] and "lib" not in r["tags"]}
    assert names == expected and names


def test_dependents_filter_and_the_build_it_plans(zr, monorepo):
    root, deps = monorepo
    dependents = {m for m, ds in deps.items() if "lib-13" in ds}
    assert dependents  # lib-14 and the apps of scope b
    result = zr(root, "-n", "run", "build", "--filter", "...lib-13")
    assert result.returncode == 0, result.output
    planned = _build_members(result)
    # ...lib-13 selects lib-13 and everything depending on it; their builds
    # bring the builds of what they depend on.
    assert "lib-13" in planned and dependents <= planned
    assert "app-8" not in planned  # scope a does not depend on lib-13


def test_filter_matching_nothing_is_a_usage_error(zr, monorepo):
    root, _ = monorepo
    result = zr(root, "run", "build", "--filter", "lib-133x")
    assert result.returncode == 2
    assert "--filter lib-133x: no workspace member matches" in result.stderr
    assert "Traceback" not in result.output


def test_workspace_run_fans_out_even_where_the_root_has_the_task(zr, repo_copy):
    root, _ = repo_copy
    toml = root / "zr.toml"
    toml.write_text(toml.read_text() + '\n[tasks.test]\ncmd = "echo root test"\n')
    plain = zr(root, "run", "test")
    assert plain.returncode == 0 and "root test" in plain.stdout
    assert "test ok" not in plain.stdout
    fanned = zr(root, "workspace", "run", "test", "--filter", "lib-2")
    assert fanned.returncode == 0, fanned.output
    assert "lib-2:test" in fanned.stdout and "test ok" in fanned.stdout
    assert "root test" not in fanned.stdout


def test_run_inside_a_member_runs_that_member_alone(zr, repo_copy):
    root, _ = repo_copy
    result = zr(root / "packages/lib-3", "run", "build")
    assert result.returncode == 0, result.output
    assert _order(root) == ["lib-3"]


def test_workspace_list_text(zr, monorepo):
    root, _ = monorepo
    result = zr(root, "workspace", "list", "--filter", "lib-3")
    assert result.returncode == 0, result.output
    assert result.stdout.split() == ["lib-3", "packages/lib-3", "[lib,", "scope:a]", "->",
                                     "lib-2,", "shared-1"]


def test_list_at_the_root_shows_one_line_per_member_task_name(zr, monorepo):
    """The kernel's zr_list_fold hook, answered by the workspace plugin."""
    root, deps = monorepo
    result = zr(root, "list")
    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        "Member tasks (`zr list --all` lists each member:task):",
        "build  (in 200 members)",
        "lint   (in 200 members)",
        "test   (in 160 members)",
    ]
    every = zr(root, "list", "--all")
    assert every.returncode == 0, every.output
    listed = {line.split()[0] for line in every.stdout.splitlines()}
    assert {f"{member}:build" for member in deps} <= listed
    assert {"build", "lint", "test", "lib-13:test", "app-8:lint"} <= listed
    assert "shared-0:test" not in listed
    rows = json.loads(zr(root, "list", "--format", "json").stdout)
    assert {row["name"] for row in rows} == listed


def test_list_keeps_the_roots_own_tasks_first(zr, tmp_path):
    (tmp_path / "zr.toml").write_text(
        '[workspace]\nmembers = ["packages/*"]\n\n'
        '[tasks.deploy]\ncmd = "true"\ndescription = "Ship everything"\n\n'
        '[tasks.test]\ncmd = "true"\ndescription = "The root\'s own test"\n')
    for name in ("core", "web", "cli", "docs"):
        member = tmp_path / "packages" / name
        member.mkdir(parents=True)
        tasks = '[tasks.test]\ncmd = "true"\n' if name != "docs" else ""
        if name == "web":
            tasks += '[tasks.serve]\ncmd = "true"\n'
        (member / "zr.toml").write_text(tasks)
    result = zr(tmp_path, "list")
    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        "deploy  Ship everything",
        "test    The root's own test",
        "",
        "Member tasks (`zr list --all` lists each member:task):",
        "serve   (in 1 member: web)",
        "test    (in 3 members: cli, core, web; `zr workspace run test` runs them)",
    ]
