"""--affected and `zr affected --explain` against real git history: committed,
uncommitted, untracked, outside-member, ignored, deleted and renamed files,
per-task inputs, --no-dependents and a shallow clone without the ref."""

from __future__ import annotations

import json
import subprocess

from workspace_fixture import commit_all, git


def _affected(zr, root, *args) -> set:
    result = zr(root, "affected", "--format", "json", *args)
    assert result.returncode == 0, result.output
    return {row["name"] for row in json.loads(result.stdout)["affected"]}


def _with_dependents(deps: dict, names: set) -> set:
    result = set(names)
    changed = True
    while changed:
        changed = False
        for member, its_deps in deps.items():
            if member not in result and result & set(its_deps):
                result.add(member)
                changed = True
    return result


def test_committed_change_affects_the_member_and_its_dependents(zr, monorepo):
    root, deps = monorepo
    expected = _with_dependents(deps, {"lib-13"})
    assert len(expected) > 10
    assert _affected(zr, root, "--affected", "main") == expected
    # ZR_AFFECTED_BASE is the same as --affected
    result = zr(root, "affected", "--format", "json", env={"ZR_AFFECTED_BASE": "main"})
    assert {row["name"] for row in json.loads(result.stdout)["affected"]} == expected


def test_run_build_affected_plans_only_affected_builds(zr, repo_copy):
    root, deps = repo_copy
    result = zr(root, "run", "build", "--affected", "main", "-j", "2")
    assert result.returncode == 0, result.output
    ran = set((root / "order.log").read_text().split())
    expected = _with_dependents(deps, {"lib-13"})
    # affected builds, plus the builds they depend on (^build)
    assert expected <= ran
    assert "app-8" not in ran and "lib-25" not in ran


def test_no_dependents(zr, monorepo):
    root, _ = monorepo
    assert _affected(zr, root, "--affected", "main", "--no-dependents") == {"lib-13"}


def test_uncommitted_and_untracked_changes_count(zr, repo_copy):
    root, deps = repo_copy
    (root / "apps/app-29/src/index.txt").write_text("edited, not committed\n")
    (root / "packages/shared-40/src/new.txt").write_text("untracked\n")
    got = _affected(zr, root, "--affected", "main", "--no-dependents")
    assert got == {"lib-13", "app-29", "shared-40"}
    staged = _affected(zr, root, "--affected", "HEAD", "--no-dependents")
    assert staged == {"app-29", "shared-40"}


def test_outside_member_file_affects_every_member_unless_ignored(zr, repo_copy):
    root, deps = repo_copy
    (root / "README.md").write_text("ignored by [workspace] ignore\n")
    assert _affected(zr, root, "--affected", "HEAD") == set()
    (root / "tools/build.sh").write_text("#!/bin/sh\necho changed\n")
    assert _affected(zr, root, "--affected", "HEAD") == set(deps)
    result = zr(root, "affected", "--explain", "--affected", "HEAD")
    assert "app-8: tools/build.sh (modified), outside every member" in result.stdout
    assert "ignored: README.md (modified)" in result.stdout


def test_deleted_and_renamed_files(zr, repo_copy):
    root, _ = repo_copy
    (root / "packages/lib-52/src/index.txt").unlink()
    git(root, "mv", "packages/lib-64/src/index.txt", "packages/lib-65/src/moved.txt")
    commit_all(root, "delete and move")
    got = _affected(zr, root, "--affected", "HEAD~1", "--no-dependents")
    assert got == {"lib-52", "lib-64", "lib-65"}
    result = zr(root, "affected", "--explain", "--affected", "HEAD~1", "--no-dependents")
    assert "lib-52: packages/lib-52/src/index.txt (deleted)" in result.stdout
    assert ("packages/lib-65/src/moved.txt (renamed from packages/lib-64/src/index.txt)"
            in result.stdout)


def test_inputs_decide_per_task(zr, repo_copy):
    """build declares inputs = ["src/**"]: a docs change leaves build alone,
    and test (no inputs) is affected."""
    root, _ = repo_copy
    (root / "packages/lib-33/docs/README.md").write_text("# better docs\n")
    build = _affected(zr, root, "build", "--affected", "HEAD", "--no-dependents")
    assert build == set()
    test = _affected(zr, root, "test", "--affected", "HEAD", "--no-dependents")
    assert test == {"lib-33:test"}
    explain = zr(root, "affected", "build", "--explain", "--affected", "HEAD")
    assert ("lib-33:build: not affected: packages/lib-33/docs/README.md changed, not among "
            "build's inputs") in explain.stdout
    plan = zr(root, "-n", "run", "build", "test", "--affected", "HEAD", "--no-dependents")
    assert plan.returncode == 0, plan.output
    assert "lib-33:test" in plan.stdout and "lib-33:build" in plan.stdout  # test needs it
    only_build = zr(root, "-n", "run", "build", "--affected", "HEAD")
    assert "lib-33:build" not in only_build.stdout


def test_explain_names_the_file_and_the_dependency_path(zr, monorepo):
    root, _ = monorepo
    result = zr(root, "affected", "build", "--explain", "--affected", "main")
    assert result.returncode == 0, result.output
    assert "lib-13:build: packages/lib-13/src/index.txt (modified)" in result.stdout
    assert ("lib-15:build: depends on lib-14 -> lib-13: packages/lib-13/src/index.txt "
            "(modified)") in result.stdout


def test_shallow_clone_without_the_ref_says_what_to_fetch(zr, monorepo, tmp_path):
    root, _ = monorepo
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "feature",
                    f"file://{root}", str(clone)], check=True, capture_output=True)
    result = zr(clone, "run", "build", "--affected", "origin/main")
    assert result.returncode == 2, result.output
    assert "this clone has no 'origin/main' (it is a shallow clone)" in result.stderr
    assert "git fetch origin main" in result.stderr
    assert "Traceback" not in result.output


def test_affected_in_the_member_graph(zr, monorepo):
    root, deps = monorepo
    result = zr(root, "graph", "--format", "json", "--affected", "main")
    assert result.returncode == 0, result.output
    nodes = {n["id"]: n for n in json.loads(result.stdout)["nodes"]}
    assert {n for n, attrs in nodes.items() if attrs["affected"]} == \
        _with_dependents(deps, {"lib-13"})


def _listed(zr, root, *args, env=None) -> set:
    result = zr(root, "workspace", "list", "--format", "json", *args, env=env)
    assert result.returncode == 0, result.output
    return {row["name"] for row in json.loads(result.stdout)}


def test_affected_without_ref_takes_zr_affected_base(zr, monorepo):
    root, deps = monorepo
    expected = _with_dependents(deps, {"lib-13"})
    assert _listed(zr, root, "--affected", env={"ZR_AFFECTED_BASE": "main", "CI": ""}) \
        == expected
    # an explicit REF wins over ZR_AFFECTED_BASE
    assert _listed(zr, root, "--affected", "main", "--no-dependents",
                   env={"ZR_AFFECTED_BASE": "HEAD", "CI": ""}) == {"lib-13"}
    # in CI too, ZR_AFFECTED_BASE wins over the default branch
    assert _listed(zr, root, "--affected", "--no-dependents",
                   env={"ZR_AFFECTED_BASE": "HEAD~1", "CI": "true"}) == {"lib-13"}


def test_affected_without_ref_in_ci_compares_with_the_default_branch(zr, monorepo, tmp_path):
    """A CI checkout: a clone on the feature branch whose origin/HEAD is main."""
    root, deps = monorepo
    clone = tmp_path / "ci-checkout"
    subprocess.run(["git", "clone", "-q", "--branch", "feature", f"file://{root}",
                    str(clone)], check=True, capture_output=True)
    git(clone, "remote", "set-head", "origin", "main")
    (clone / "apps/app-29/src/index.txt").write_text("edited in CI\n")
    ci = {"CI": "true"}
    assert _listed(zr, clone, "--affected", "--no-dependents", env=ci) == {"lib-13", "app-29"}
    assert _listed(zr, clone, "--affected", env=ci) == \
        _with_dependents(deps, {"lib-13", "app-29"})
    summary = zr(clone, "affected", "--affected", "--no-dependents", env=ci)
    assert summary.returncode == 0, summary.output
    assert "merge-base of origin/main and HEAD" in summary.stderr
    plan = zr(clone, "-n", "run", "test", "--affected", "--no-dependents", env=ci)
    assert plan.returncode == 0, plan.output
    assert "lib-13:test" in plan.stdout and "app-29:test" in plan.stdout
    assert "lib-14:test" not in plan.stdout


def test_affected_without_ref_outside_ci_is_a_usage_error(zr, monorepo):
    root, _ = monorepo
    for ci in ("", "false"):
        result = zr(root, "run", "build", "--affected", env={"CI": ci})
        assert result.returncode == 2, result.output
        assert ("--affected without a REF needs a base to compare with: pass one "
                "(--affected origin/main, or --affected auto for the default branch) or set "
                "ZR_AFFECTED_BASE; in CI (CI=true) it defaults to the merge-base with the "
                "default branch") in result.stderr
        assert "Traceback" not in result.output
        assert not (root / "order.log").exists()
    # `--affected` before the task word takes it as the REF: the error says so
    taken = zr(root, "run", "--affected", "build", env={"CI": ""})
    assert taken.returncode == 2, taken.output
    assert "'build' is a task: --affected took it as its REF" in taken.stderr
