"""git facts in conditions, with the real `zr` and real repositories."""

from __future__ import annotations

import re
import subprocess

import pytest

TASKS = """
    [tasks.on-main]
    cmd = "echo on main"
    condition = "git.branch == 'main'"

    [tasks.on-main-call]
    cmd = "echo on main too"
    condition = "git.branch() == 'main'"

    [tasks.if-dirty]
    cmd = "echo dirty"
    condition = "git.dirty"

    [tasks.py-changed]
    cmd = "echo python changed"
    condition = "file.changed('src/**/*.py')"

    [tasks.docs-changed]
    cmd = "echo docs changed"
    condition = "file.changed('docs/*.md', 'README.md')"
    """


def ran(result, task: str) -> bool:
    return re.search(rf"^{re.escape(task)} *\| ", result.stdout, re.MULTILINE) is not None


@pytest.fixture
def repo(zr_project):
    """The project as a git repository on branch main with one commit."""
    zr_project.write(TASKS)
    zr_project.file("src/app/main.py", "print('hi')\n")
    zr_project.file("docs/guide.md", "# guide\n")
    zr_project.file(".gitignore", "build/\n")
    git(zr_project, "init", "-q", "-b", "main")
    git(zr_project, "add", ".")
    git(zr_project, "commit", "-qm", "first")
    return zr_project


def git(project, *args) -> str:
    return subprocess.run(
        ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev", *args],
        cwd=project.path, check=True, capture_output=True, text=True).stdout.strip()


ALL = ("on-main", "on-main-call", "if-dirty", "py-changed", "docs-changed")


def run_all(project, *extra, env=None):
    result = project.run("run", *ALL, *extra, env=env)
    assert result.returncode == 0, result.output
    return {task for task in ALL if ran(result, task)}


def test_a_clean_checkout_on_main(repo):
    assert run_all(repo) == {"on-main", "on-main-call"}


def test_a_modified_file_is_dirty_and_changed(repo):
    repo.file("src/app/main.py", "print('changed')\n")
    assert run_all(repo) == {"on-main", "on-main-call", "if-dirty", "py-changed"}


def test_staged_and_untracked_files_count_ignored_ones_do_not(repo):
    repo.file("build/out.py", "generated\n")  # ignored: neither dirty nor changed
    assert run_all(repo) == {"on-main", "on-main-call"}
    repo.file("docs/new.md", "new\n")  # untracked
    assert run_all(repo) == {"on-main", "on-main-call", "if-dirty", "docs-changed"}
    git(repo, "add", "docs/new.md")  # staged
    assert run_all(repo) == {"on-main", "on-main-call", "if-dirty", "docs-changed"}


def test_globs_are_anchored_to_the_task_cwd(repo):
    repo.file("lib/src/other.py", "x\n")  # not under ./src: must not match src/**/*.py
    repo.file("nested/docs/page.md", "x\n")
    assert run_all(repo) == {"on-main", "on-main-call", "if-dirty"}


def test_since_compares_with_the_merge_base_of_a_ref(repo):
    git(repo, "checkout", "-q", "-b", "feature")
    repo.file("src/app/feature.py", "feature\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "feature work")
    assert run_all(repo) == set()  # committed: clean against HEAD
    assert run_all(repo, "--since", "main") == {"py-changed"}
    assert run_all(repo, env={"ZR_SINCE": "main"}) == {"py-changed"}
    git(repo, "checkout", "-q", "main")
    repo.file("docs/guide.md", "# moved on\n")
    git(repo, "commit", "-qam", "main moves on")
    git(repo, "checkout", "-q", "feature")
    # main's own later commits are not the feature branch's changes
    assert run_all(repo, "--since", "main") == {"py-changed"}


def test_a_detached_head_has_an_empty_branch_and_commit_is_the_sha(repo):
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "--detach")
    repo.write(f"""
        [tasks.detached]
        cmd = "echo detached"
        condition = "git.branch == '' && git.commit == '{head}'"
        """)
    result = repo.run("run", "detached")
    assert ran(result, "detached"), result.output


def test_outside_a_repository_the_error_says_so(zr_project):
    zr_project.write(TASKS)
    result = zr_project.run("run", "on-main")
    assert result.returncode != 0
    assert "git.branch: " in result.stderr
    assert "is not inside a git repository" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_since_ref_is_a_clear_error(repo):
    result = repo.run("run", "py-changed", "--since", "no-such-branch")
    assert result.returncode != 0
    assert "--since no-such-branch: no common ancestor with HEAD" in result.stderr


def test_a_repository_without_commits_treats_every_file_as_changed(zr_project):
    zr_project.write(TASKS)
    zr_project.file("src/main.py", "x\n")
    git(zr_project, "init", "-q", "-b", "main")
    result = zr_project.run("run", "py-changed", "on-main")
    assert ran(result, "py-changed") and ran(result, "on-main"), result.output
