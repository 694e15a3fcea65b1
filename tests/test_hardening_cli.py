"""What new and migrating users hit, through the real ``zr``: a bare ``zr``
with global options, ``--no-color`` on early errors, and mistakes ``zr
validate`` must catch before a run (expressions, default task, cwd)."""

from __future__ import annotations

import os
import pty
import subprocess

import pytest

from zr.testing import zr_executable

pytestmark = pytest.mark.crossversion

GLOBAL_OPTIONS = [["-n"], ["-j", "2"], ["-j2"], ["-q"], ["-v"], ["-k"], ["--no-cache"]]


@pytest.mark.parametrize("options", GLOBAL_OPTIONS, ids=" ".join)
def test_a_bare_zr_with_options_runs_the_default_task_with_them(zr_project, options):
    zr_project.write("""
        [settings]
        default = "hello"

        [tasks.hello]
        cmd = "echo ran > ran.txt"
    """)
    result = zr_project.run(*options)
    assert result.returncode == 0, result.output
    if options == ["-n"]:
        assert "echo ran > ran.txt" in result.output
        assert not (zr_project.path / "ran.txt").exists()
    else:
        assert (zr_project.path / "ran.txt").read_text() == "ran\n"


@pytest.mark.parametrize("options", GLOBAL_OPTIONS, ids=" ".join)
def test_a_bare_zr_with_options_and_no_default_is_a_usage_error(zr_project, options):
    zr_project.write('[tasks.hello]\ncmd = "echo ran > ran.txt"\n')
    result = zr_project.run(*options)
    assert result.returncode == 2, result.output
    assert "no task given" in result.stderr
    assert not (zr_project.path / "ran.txt").exists()


def run_on_a_terminal(project, *args) -> tuple:
    """Run zr with stderr on a pseudo-terminal; (exit code, what it showed)."""
    leader, follower = pty.openpty()
    env = dict(project.env)
    env.pop("NO_COLOR", None)
    try:
        proc = subprocess.run([zr_executable(), *args], cwd=project.path, env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=follower, timeout=60)
    finally:
        os.close(follower)
    shown = b""
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        shown += data
    os.close(leader)
    return proc.returncode, shown.decode(errors="replace")


@pytest.mark.parametrize("args", [["--no-color", "run", "no-such-task"],
                                  ["--no-color", "no-such-task"],
                                  ["--no-color", "run", "--bogus-flag"]])
def test_no_color_holds_for_errors_found_before_the_run(zr_project, args):
    zr_project.write('[tasks.hello]\ncmd = "true"\n')
    code, shown = run_on_a_terminal(zr_project, *args)
    assert code == 2, shown
    assert "zr: error" in shown
    assert "\x1b[" not in shown
    # Without the flag the same error is coloured on a terminal.
    coloured_code, coloured = run_on_a_terminal(zr_project, *args[1:])
    assert coloured_code == 2 and "\x1b[" in coloured


@pytest.mark.parametrize("field, expression, message", [
    ("condition", 'file.exists()', "file.exists() takes 1 argument, got 0"),
    ("condition", 'file.exists("a", "b")', "file.exists() takes 1 argument, got 2"),
    ("condition", 'semver.gte("1.0")', "semver.gte() takes 2 arguments, got 1"),
    ("condition", "(((", "unexpected end of expression"),
    ("condition", "1" * 5000 + " == 1", "number too long"),
    ("require", 'file.hash("a", "b") == "x"', "file.hash() takes 1 argument, got 2"),
    ("require", "tasks['x'].success &&", "unexpected end of expression"),
])
def test_expressions_that_cannot_work_are_caught_by_validate(zr_project, field, expression,
                                                              message):
    literal = f"'''{expression}'''"
    value = f"condition = {literal}" if field == "condition" else f"require = [{literal}]"
    zr_project.write(f'[tasks.t]\ncmd = "echo ran > ran.txt"\n{value}\n')
    for args in (("validate",), ("run", "t")):
        result = zr_project.run(*args)
        assert result.returncode == 2, (args, result.output)
        assert f"tasks.t.{field}" in result.stderr and message in result.stderr, result.stderr
        assert "Traceback" not in result.output
    assert not (zr_project.path / "ran.txt").exists()


@pytest.mark.parametrize("target", ["/dev/zero", "fifo"])
def test_file_hash_refuses_what_is_not_a_regular_file(zr_project, target):
    if target == "fifo":
        os.mkfifo(zr_project.path / "fifo")
    zr_project.write(f'[tasks.t]\ncmd = "echo ran"\ncondition = \'file.hash("{target}") == "x"\'\n')
    result = zr_project.run("run", "t", timeout=60)
    assert result.returncode == 1, result.output
    assert "is not a regular file" in result.stderr
    assert "Traceback" not in result.output


def test_validate_catches_a_default_task_that_does_not_exist(zr_project):
    zr_project.write('[settings]\ndefault = "biuld"\n\n[tasks.build]\ncmd = "true"\n')
    result = zr_project.run("validate")
    assert result.returncode == 2, result.output
    assert "zr.toml:2: settings.default" in result.stderr
    assert "did you mean 'build'" in result.stderr


def test_validate_catches_a_cwd_that_does_not_exist(zr_project):
    zr_project.write('[tasks.build]\ncmd = "true"\ncwd = "missing/dir"\n')
    result = zr_project.run("validate")
    assert result.returncode == 2, result.output
    assert "zr.toml:3: tasks.build.cwd: cwd 'missing/dir' does not exist" in result.stderr


STRICT_PROJECT = """
[cache]
remote = { type = "http", url = "http://127.0.0.1:9", token_env = "ZR_TEST_UNSET_TOKEN" }

[tasks.build]
cmd = "true"
cache = true
inputs = ["src/**", "nope/*.c"]
env_inputs = ["ZR_TEST_NEVER_SET"]

[tasks.gen]
cmd = "true"
outputs = ["out"]

[tasks._helper]
cmd = "true"

[tasks._used]
cmd = "true"

[tasks.all]
deps = ["_used"]
"""

STRICT_WARNINGS = [
    "zr.toml:7: tasks.build.inputs: inputs glob 'nope/*.c' matches no file",
    "zr.toml:8: tasks.build.env_inputs: $ZR_TEST_NEVER_SET is not set",
    "zr.toml:12: tasks.gen.outputs: outputs are stored and restored only by the cache",
    "zr.toml:2: cache.remote.token_env: $ZR_TEST_UNSET_TOKEN is not set",
    "zr.toml:14: tasks._helper: private task '_helper' is not used by any task",
]


def test_validate_warns_and_strict_makes_the_warnings_errors(zr_project):
    zr_project.write(STRICT_PROJECT)
    zr_project.file("src/main.c", "int main;\n")
    plain = zr_project.run("validate")
    assert plain.returncode == 0, plain.output
    assert "5 warnings" in plain.stdout
    for warning in STRICT_WARNINGS:
        assert f"zr: warning: {warning}" in plain.stderr, plain.stderr
    assert "_used" not in plain.stderr
    strict = zr_project.run("validate", "--strict")
    assert strict.returncode == 2, strict.output
    for warning in STRICT_WARNINGS:
        assert f"zr: error: {warning}" in strict.stderr, strict.stderr


def test_a_clean_project_passes_strict_validation(zr_project):
    zr_project.write("""
        [env]
        KEY = "1"

        [tasks.build]
        cmd = "true"
        cache = true
        inputs = ["src/**"]
        outputs = ["dist"]
        env_inputs = ["KEY"]
        deps = ["_prepare"]

        [tasks._prepare]
        cmd = "true"
    """)
    zr_project.file("src/main.c", "int main;\n")
    result = zr_project.run("validate", "--strict")
    assert result.returncode == 0, result.output
    assert "warning" not in result.output


SERIAL_PROJECT = """
[tasks.first]
cmd = "echo first-start >> log; sleep 0.5; echo first-end >> log"

[tasks.second_needs]
cmd = "echo second_needs-start >> log"

[tasks.second]
deps = ["second_needs"]
cmd = "echo second-start >> log"

[tasks.other]
deps = ["second_needs"]
cmd = "echo other-start >> log"

[tasks.ci]
deps_serial = ["first", "second"]
"""


def test_a_later_serial_step_and_what_it_needs_start_after_the_earlier_steps(zr_project):
    zr_project.write(SERIAL_PROJECT)
    result = zr_project.run("-j", "4", "run", "ci")
    assert result.returncode == 0, result.output
    log = (zr_project.path / "log").read_text().split()
    assert log.index("first-end") < log.index("second_needs-start") < log.index("second-start")
    dry = zr_project.run("-n", "ci")
    order = [line.split()[1] for line in dry.stdout.splitlines() if line.startswith("[")]
    assert order == ["first", "second_needs", "second", "ci"]
    text = zr_project.run("graph", "ci").stdout
    assert "first (after it: deps_serial of ci)" in text
    import json

    edges = json.loads(zr_project.run("graph", "ci", "--format", "json").stdout)["edges"]
    assert {"from": "second_needs", "to": "first", "order_only": True,
            "deps_serial_of": "ci"} in edges


def test_serial_ordering_never_pulls_a_task_into_another_run(zr_project):
    zr_project.write(SERIAL_PROJECT)
    result = zr_project.run("run", "other")
    assert result.returncode == 0, result.output
    assert (zr_project.path / "log").read_text().split() == ["second_needs-start",
                                                            "other-start"]
    assert "first" not in zr_project.run("graph", "other").stdout


def test_words_after_dashes_given_to_a_group_say_where_they_went(zr_project):
    zr_project.write("""
        [tasks.lint]
        cmd = "echo lint"

        [tasks.check]
        deps = ["lint"]

        [tasks.test]
        cmd = "echo test-args"
    """)
    nowhere = zr_project.run("run", "check", "--", "--fix")
    assert nowhere.returncode == 0, nowhere.output
    assert ("the words after -- (--fix) go to no task: 'check' has no commands of its own"
            in nowhere.stderr)
    some = zr_project.run("run", "check", "test", "--", "-x")
    assert "the words after -- (-x) go to test only" in some.stderr
    assert "test-args -x" in some.stdout
    plain = zr_project.run("run", "test", "--", "-x")
    assert "warning" not in plain.stderr
