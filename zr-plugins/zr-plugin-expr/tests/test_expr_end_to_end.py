"""Conditions as a user meets them: the real `zr` command on temporary projects."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


@pytest.fixture
def project(tmp_path):
    directory = tmp_path / "project"
    directory.mkdir()
    return directory


def zr(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed `zr` in ``project``, output merged, state kept outside it."""
    command = shutil.which("zr", path=os.path.dirname(sys.executable)) or shutil.which("zr")
    assert command, "the `zr` command is not installed in this environment"
    full_env = {**os.environ, "NO_COLOR": "1", "ZR_HOME": str(project.parent / "zr-home"),
                **(env or {})}
    return subprocess.run([command, *args], cwd=project, env=full_env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)


def write_config(project: Path, text: str) -> None:
    (project / "zr.toml").write_text(textwrap.dedent(text))


def printed(result, task: str, line: str) -> bool:
    """Whether ``task`` printed ``line`` (zr prefixes it with the padded task name)."""
    return re.search(rf"^{re.escape(task)} *\| {re.escape(line)}$", result.stdout,
                     re.MULTILINE) is not None


def test_a_false_condition_skips_the_task_and_its_dependents_still_run(project):
    write_config(project, """\
        [tasks.setup-windows]
        cmd = "echo setting up windows"
        condition = "platform == 'windows'"

        [tasks.build]
        cmd = "echo building"
        deps = ["setup-windows"]
        """)
    result = zr(project, "run", "build")
    assert result.returncode == 0, result.stdout
    assert ("setup-windows skipped (condition is false: platform == 'windows')"
            in result.stdout)
    assert "setting up windows" not in result.stdout
    assert printed(result, "build", "building")


def test_shell_on_the_right_of_a_false_and_is_not_run(project):
    write_config(project, """\
        [tasks.never]
        cmd = "echo never"
        condition = "false && shell('touch never-marker')"

        [tasks.always]
        cmd = "echo always"
        condition = "true && shell('touch always-marker')"
        """)
    result = zr(project, "run", "never", "always")
    assert result.returncode == 0, result.stdout
    assert not (project / "never-marker").exists()
    assert (project / "always-marker").exists()  # shell() runs, in the task's cwd
    assert printed(result, "always", "always")
    assert not printed(result, "never", "never")


def test_conditions_read_results_of_earlier_tasks_and_the_environment(project):
    write_config(project, """\
        [env]
        STAGE = "production"

        [tasks.check]
        cmd = "exit 3"
        allow_failure = true

        [tasks.compile]
        cmd = "echo compiled"

        [tasks.notify-failure]
        cmd = "echo check failed with $CODE"
        env = { CODE = "3" }
        deps = ["check", "compile"]
        condition = "!tasks['check'].success && tasks.check.exit_code == env.CODE"

        [tasks.deploy]
        cmd = "echo deploying"
        deps = ["compile"]
        condition = "tasks['compile'].success && env.STAGE == 'production' && env.DRY_RUN != true"
        """)
    result = zr(project, "run", "notify-failure", "deploy")
    assert printed(result, "notify-failure", "check failed with 3"), result.stdout
    assert printed(result, "deploy", "deploying")

    dry = zr(project, "run", "deploy", env={"DRY_RUN": "1"})
    assert "deploy skipped (condition is false:" in dry.stdout, dry.stdout


def test_a_file_condition_follows_sources(project):
    write_config(project, """\
        [tasks.bundle]
        cmd = "mkdir -p dist && cp src/app.txt dist/app.txt && echo bundled"
        condition = "file.newer('dist', 'src')"
        """)
    (project / "src").mkdir()
    (project / "src" / "app.txt").write_text("v1")
    first = zr(project, "run", "bundle")
    assert printed(first, "bundle", "bundled"), first.stdout
    second = zr(project, "run", "bundle")
    assert "bundle skipped (condition is false: file.newer('dist', 'src'))" in second.stdout


def test_a_syntax_error_is_reported_with_file_line_and_column(project):
    write_config(project, """\
        [tasks.build]
        cmd = "echo build"

        [tasks.deploy]
        cmd = "echo deploy"
        condition = "platform == 'linux' && )"
        """)
    for command in (("validate",), ("run", "build")):
        result = zr(project, *command)
        assert result.returncode == 2, result.stdout
        assert "zr.toml:6: tasks.deploy.condition: unexpected ')' at column 24" in result.stdout
        assert "Traceback" not in result.stdout


def test_unknown_functions_and_tasks_are_reported_before_running(project):
    write_config(project, """\
        [tasks.build]
        cmd = "echo build"

        [tasks.package]
        cmd = "echo package"
        condition = "tasks['biuld'].success && file.exist('dist')"
        """)
    result = zr(project, "validate")
    assert result.returncode == 2, result.stdout
    assert ("tasks.package.condition: unknown task 'biuld' at column 7"
            " (did you mean 'build'?)") in result.stdout


def test_a_condition_that_fails_while_running_is_a_clean_error(project):
    write_config(project, """\
        [tasks.release]
        cmd = "echo release"
        condition = "file.hash('VERSION') == 'abc'"
        """)
    result = zr(project, "run", "release")
    assert result.returncode != 0
    assert ("tasks.release.condition: file.hash: 'VERSION' does not exist at column 1"
            in result.stdout), result.stdout
    assert not printed(result, "release", "release")
    assert "Traceback" not in result.stdout
