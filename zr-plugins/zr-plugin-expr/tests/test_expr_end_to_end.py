"""Conditions as a user meets them: the real `zr` command on temporary projects."""

from __future__ import annotations

import re


def printed(result, task: str, line: str) -> bool:
    """Whether ``task`` printed ``line`` (zr prefixes it with the padded task name)."""
    return re.search(rf"^{re.escape(task)} *\| {re.escape(line)}$", result.output,
                     re.MULTILINE) is not None


def test_a_false_condition_skips_the_task_and_its_dependents_still_run(zr_project):
    zr_project.write("""\
        [tasks.setup-windows]
        cmd = "echo setting up windows"
        condition = "platform == 'windows'"

        [tasks.build]
        cmd = "echo building"
        deps = ["setup-windows"]
        """)
    result = zr_project.run("run", "build")
    assert result.returncode == 0, result.output
    assert ("setup-windows skipped (condition is false: platform == 'windows')"
            in result.output)
    assert "setting up windows" not in result.output
    assert printed(result, "build", "building")


def test_shell_on_the_right_of_a_false_and_is_not_run(zr_project):
    zr_project.write("""\
        [tasks.never]
        cmd = "echo never"
        condition = "false && shell('touch never-marker')"

        [tasks.always]
        cmd = "echo always"
        condition = "true && shell('touch always-marker')"
        """)
    result = zr_project.run("run", "never", "always")
    assert result.returncode == 0, result.output
    assert not (zr_project.path / "never-marker").exists()
    assert (zr_project.path / "always-marker").exists()  # shell() runs, in the task's cwd
    assert printed(result, "always", "always")
    assert not printed(result, "never", "never")


def test_conditions_read_results_of_earlier_tasks_and_the_environment(zr_project):
    zr_project.write("""\
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
    result = zr_project.run("run", "notify-failure", "deploy")
    assert printed(result, "notify-failure", "check failed with 3"), result.output
    assert printed(result, "deploy", "deploying")

    dry = zr_project.run("run", "deploy", env={"DRY_RUN": "1"})
    assert "deploy skipped (condition is false:" in dry.output, dry.output

    staging = zr_project.run("run", "deploy", "--env", "STAGE=staging")
    assert "deploy skipped (condition is false:" in staging.output, staging.output


def test_a_file_condition_follows_sources(zr_project):
    zr_project.write("""\
        [tasks.bundle]
        cmd = "mkdir -p dist && cp src/app.txt dist/app.txt && echo bundled"
        condition = "file.newer('dist', 'src')"
        """)
    (zr_project.path / "src").mkdir()
    (zr_project.path / "src" / "app.txt").write_text("v1")
    first = zr_project.run("run", "bundle")
    assert printed(first, "bundle", "bundled"), first.output
    second = zr_project.run("run", "bundle")
    assert "bundle skipped (condition is false: file.newer('dist', 'src'))" in second.output


def test_a_syntax_error_is_reported_with_file_line_and_column(zr_project):
    zr_project.write("""\
        [tasks.build]
        cmd = "echo build"

        [tasks.deploy]
        cmd = "echo deploy"
        condition = "platform == 'linux' && )"
        """)
    for command in (("validate",), ("run", "build")):
        result = zr_project.run(*command)
        assert result.returncode == 2, result.output
        assert "zr.toml:6: tasks.deploy.condition: unexpected ')' at column 24" in result.output
        assert "Traceback" not in result.output


def test_unknown_functions_and_tasks_are_reported_before_running(zr_project):
    zr_project.write("""\
        [tasks.build]
        cmd = "echo build"

        [tasks.package]
        cmd = "echo package"
        condition = "tasks['biuld'].success && file.exist('dist')"
        """)
    result = zr_project.run("validate")
    assert result.returncode == 2, result.output
    assert ("tasks.package.condition: unknown task 'biuld' at column 7"
            " (did you mean 'build'?)") in result.output


def test_a_condition_that_fails_while_running_is_a_clean_error(zr_project):
    zr_project.write("""\
        [tasks.release]
        cmd = "echo release"
        condition = "file.hash('VERSION') == 'abc'"
        """)
    result = zr_project.run("run", "release")
    assert result.returncode != 0
    assert ("tasks.release.condition: file.hash: 'VERSION' does not exist at column 1"
            in result.output), result.output
    assert not printed(result, "release", "release")
    assert "Traceback" not in result.output


def test_zr_expr_tries_a_condition_and_answers_with_its_exit_code(zr_project):
    zr_project.write("""\
        [env]
        MODE = "fast"

        [tasks.web]
        cmd = "echo web"
        cwd = "web"
        env = { PORT = "8080" }
        """)
    zr_project.file("web/package.json", "{}")
    true = zr_project.run("expr", "env.MODE == 'fast' && platform == 'linux'")
    assert (true.returncode, true.stdout) == (0, "true\n")
    false = zr_project.run("expr", "file.exists('package.json')")
    assert (false.returncode, false.stdout) == (1, "false\n")
    in_task_cwd = zr_project.run("expr", "--task", "web", "file.exists('package.json')")
    assert (in_task_cwd.returncode, in_task_cwd.stdout) == (0, "true\n")
    task_env = zr_project.run("expr", "--task", "web", "env.PORT")
    assert (task_env.returncode, task_env.stdout) == (0, "'8080'\n")
    error = zr_project.run("expr", "tasks['wbe'].success")
    assert error.returncode == 2
    assert "unknown task 'wbe' at column 7 (did you mean 'web'?)" in error.stderr


def test_zr_expr_lists_the_functions_with_their_plugin(zr_project):
    result = zr_project.run("expr", "--functions")
    assert result.returncode == 0, result.output
    assert ("semver.gte(a, b): true if version a >= version b  [expr]"
            in result.stdout.splitlines())
