"""``zr repo run TASK --affected`` without a REF: the base comes from the
environment in the order ``zr run --affected`` uses (the workspace plugin's
:mod:`zr_plugin_workspace.base`), resolved in each repo: ``ZR_AFFECTED_BASE``,
else in CI each repo's own default branch, else exit 2 naming both ways.

Every run sets both ``CI`` and ``ZR_AFFECTED_BASE`` (empty means unset), so
the environment the tests run in cannot change what they see.
"""

from __future__ import annotations

NEITHER = {"CI": "", "ZR_AFFECTED_BASE": ""}


def ran(stamp_dir) -> set:
    """Repos whose build ran (each writes ``NAME.start``)."""
    return {path.name.split(".")[0] for path in stamp_dir.iterdir()}


def summary(stdout: str) -> dict:
    """REPO -> the rest of its row, from the summary table at the end."""
    lines = stdout.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("REPO "))
    return dict(line.split(None, 1) for line in lines[start + 1:])


def test_zr_affected_base_names_the_ref(zr_project, synced_five, stamp_dir, kit):
    for name in kit.FIVE:
        kit.git("tag", "base", cwd=zr_project.path / "src" / name)
    synced_five["util"].commit("lib.txt", "new\n", "util: change")
    assert zr_project.run("repo", "sync").returncode == 0
    result = zr_project.run("repo", "run", "build", "--affected", timeout=120,
                            env={**NEITHER, "ZR_AFFECTED_BASE": "base"})
    assert result.returncode == 0, result.output
    assert ran(stamp_dir) == {"util", "api", "web"}
    rows = summary(result.stdout)
    assert rows["core"].startswith("unaffected") and "no change since base" in rows["core"]

    # An explicit REF wins over the variable: nothing changed since HEAD.
    for path in stamp_dir.iterdir():
        path.unlink()
    explicit = zr_project.run("repo", "run", "build", "--affected", "HEAD", timeout=120,
                              env={**NEITHER, "ZR_AFFECTED_BASE": "base"})
    assert explicit.returncode == 0, explicit.output
    assert ran(stamp_dir) == set()
    assert all(row.startswith("unaffected") for row in summary(explicit.stdout).values())


def test_in_ci_each_repo_is_compared_with_its_own_default_branch(
        zr_project, synced_five, stamp_dir, kit):
    src = zr_project.path / "src"
    # util commits locally, and its origin's default branch is a branch that
    # has that commit: against its own default branch nothing changed (against
    # origin/main, as the other repos' default, it would have).
    (src / "util" / "lib.txt").write_text("local\n")
    kit.git("add", "lib.txt", cwd=src / "util")
    kit.git("commit", "-q", "-m", "util: local", cwd=src / "util")
    kit.git("update-ref", "refs/remotes/origin/release", "HEAD", cwd=src / "util")
    kit.git("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/release",
            cwd=src / "util")
    # web has an uncommitted edit: changed against its default branch, origin/main.
    (src / "web" / "README").write_text("edited\n")
    result = zr_project.run("repo", "run", "build", "--affected", timeout=120,
                            env={**NEITHER, "CI": "true"})
    assert result.returncode == 0, result.output
    assert ran(stamp_dir) == {"web"}
    rows = summary(result.stdout)
    assert "no change since origin/release" in rows["util"], rows
    assert "no change since origin/main" in rows["core"], rows

    # CI=false is not CI: back to the usage error.
    off = zr_project.run("repo", "run", "build", "--affected", env={**NEITHER, "CI": "false"})
    assert off.returncode == 2, off.output


def test_without_ref_variable_or_ci_it_is_a_usage_error_naming_both_ways(
        zr_project, synced_five, stamp_dir):
    result = zr_project.run("repo", "run", "build", "--affected", env=NEITHER)
    assert result.returncode == 2, result.output
    assert "ZR_AFFECTED_BASE" in result.stderr and "--affected origin/main" in result.stderr
    assert "CI=true" in result.stderr
    assert "Traceback" not in result.stderr
    assert ran(stamp_dir) == set()
