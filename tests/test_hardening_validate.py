"""Values that used to crash or hang a run are config errors, through the
real ``zr``: ``validate`` and ``run`` both answer exit 2 with the key's path
and no traceback."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.crossversion

NUMBERS = ["nan", "inf", "-inf", "1e309", "9223372036854775807",
           '"99999999999999999999d"', '"8d"', '"30d"']


def task(extra: str) -> str:
    return f'[tasks.t]\ncmd = "true"\n{extra}\n'


CASES = (
    [(task(f"timeout = {v}"), "tasks.t.timeout") for v in NUMBERS]
    + [(task(f"retry = {{ count = 2, delay = {v} }}"), "tasks.t.retry.delay") for v in NUMBERS]
    + [(task(f"retry = {{ count = 2, max_delay = {v} }}"), "tasks.t.retry.max_delay")
       for v in NUMBERS]
    + [(task(f"retry = {{ count = 2, backoff = {v} }}"), "tasks.t.retry.backoff")
       for v in ["nan", "inf", "1e309", "9223372036854775807"]]
    + [(task("retry = { count = 900, backoff = 50 }"), "tasks.t.retry.backoff")]
    + [(task(f"retry = {v}"), "tasks.t.retry.count")
       for v in ["9223372036854775807", "{ count = 9223372036854775807 }"]]
    + [(f"[settings]\nkill_grace = {v}\n" + task(""), "settings.kill_grace") for v in NUMBERS]
    + [(f"[settings]\njobs = {v}\n" + task(""), "settings.jobs")
       for v in ["9223372036854775807", "0", "-1", "nan"]]
    + [(task('env = { "A=B" = "x" }'), "tasks.t.env.A=B"),
       (task('env = { "" = "x" }'), "tasks.t.env"),
       (task('env = { "A\\u0000" = "x" }'), "tasks.t.env"),
       (task('env = { A = "x\\u0000y" }'), "tasks.t.env.A"),
       (task("env = { A = nan }"), "tasks.t.env.A"),
       ('[env]\n"X=Y" = "1"\n' + task(""), "env.X=Y"),
       ('[env]\nX = "a\\u0000"\n' + task(""), "env.X"),
       (task('shell = "ba\\u0000sh"'), "tasks.t.shell"),
       (task('shell = ["bash", "-c\\u0000"]'), "tasks.t.shell"),
       ('[settings]\nshell = "sh\\u0000"\n' + task(""), "settings.shell"),
       ('[tasks.t]\ncmd = "echo \\u0000"\n', "tasks.t.cmd"),
       ('[tasks.t]\ncmd = ["true", "echo \\u0000"]\n', "tasks.t.cmd"),
       (task('cwd = "a\\u0000b"'), "tasks.t.cwd"),
       (task('cache = true\ninputs = ["src/\\u0000"]'), "tasks.t.inputs"),
       (task('deps = ["\\u0000"]'), "tasks.t.deps")]
)


@pytest.mark.parametrize("text, key", CASES, ids=[f"{i}-{k}" for i, (_, k) in enumerate(CASES)])
def test_values_that_would_break_a_run_are_config_errors(zr_project, text, key):
    zr_project.write(text)
    for args in (("validate",), ("run", "t")):
        result = zr_project.run(*args, timeout=60)
        assert result.returncode == 2, (args, result.output)
        assert "Traceback" not in result.output
        assert f"{key}" in result.stderr, (args, result.stderr)


def test_a_minus_j_beyond_the_limit_is_a_usage_error(zr_project):
    zr_project.write(task(""))
    result = zr_project.run("-j", "9223372036854775807", "run", "t")
    assert result.returncode == 2 and "-j" in result.stderr, result.output


@pytest.mark.parametrize("text", [
    "[tasks.t]\ncmd = \"true\"\nx = " + "[" * 500 + "]" * 500 + "\n",
    "[tasks.t]\ncmd = \"true\"\n" + "x = " + "{a = " * 120 + "1" + "}" * 120 + "\n",
])
def test_deeply_nested_toml_is_a_clear_error(zr_project, text):
    zr_project.write(text)
    for args in (("validate",), ("list",), ("run", "t")):
        result = zr_project.run(*args)
        assert result.returncode == 2, result.output
        assert "nested more than 100 levels" in result.stderr
        assert "Traceback" not in result.output


def test_an_integer_literal_of_thousands_of_digits_is_a_clear_error(zr_project):
    zr_project.write("[env]\nA = " + "1" * 5000 + "\n" + task(""))
    result = zr_project.run("validate")
    assert result.returncode == 2, result.output
    assert "integer literal is too long" in result.stderr
    assert "Traceback" not in result.output


def test_a_matrix_of_millions_of_cells_is_refused_at_once(zr_project):
    axis = ", ".join(str(i) for i in range(2000))
    zr_project.write(task(f"matrix = {{ a = [{axis}], b = [{axis}] }}"))
    for args in (("validate",), ("list",)):
        result = zr_project.run(*args, timeout=60)
        assert result.returncode == 2, result.output
        assert "tasks.t.matrix" in result.stderr
        assert "4000000 combinations; at most 10000" in result.stderr


def test_matrix_values_in_cwd_are_filled_in_before_the_cwd_is_checked(zr_project):
    zr_project.file("pkg-a/.keep")
    zr_project.file("pkg-b/.keep")
    zr_project.write('[tasks.t]\ncmd = "basename $(pwd)"\ncwd = "pkg-${matrix.p}"\n'
                     'matrix = { p = ["a", "b"] }\n')
    result = zr_project.run("run", "t")
    assert result.returncode == 0, result.output
    assert "pkg-a" in result.stdout and "pkg-b" in result.stdout
    zr_project.write('[tasks.t]\ncmd = "pwd"\ncwd = "pkg-${matrix.p}"\n'
                     'matrix = { p = ["a", "c"] }\n')
    missing = zr_project.run("run", "t")
    assert missing.returncode == 2
    assert "cwd 'pkg-c' does not exist" in missing.stderr
