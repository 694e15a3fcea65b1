"""Evaluation: truthiness, comparison rules, names, runtime state, errors."""

import pytest

from zr.errors import ZrError
from zr.model import FAILED, SUCCESS, TaskResult
from zr_plugin_expr import (EvalContext, ExprEvalError, ExprNameError, FunctionRegistry,
                            evaluate, is_true)
from zr_plugin_expr.context import normalize_arch, normalize_platform


def value(source, **context):
    return evaluate(source, EvalContext(**context))


@pytest.mark.parametrize("text, expected", [
    ("", False), ("0", False), ("false", False), ("FALSE", False), ("no", False),
    ("off", False), ("1", True), ("true", True), ("yes", True), ("anything", True),
    (" ", True), ("0.0", True),
])
def test_environment_variable_truthiness(text, expected):
    assert is_true("env.FLAG", EvalContext(env={"FLAG": text})) is expected


def test_missing_environment_variable_is_empty_and_false():
    assert value("env.NOPE", env={}) == ""
    assert is_true("env.NOPE", EvalContext(env={})) is False
    assert value("env.NOPE == ''", env={}) is True


@pytest.mark.parametrize("source, expected", [
    ("0", False), ("0.0", False), ("2", True), ("''", False), ("'x'", True),
    ("!0", True), ("!!'x'", True),
])
def test_literal_truthiness(source, expected):
    assert is_true(source, EvalContext()) is expected


@pytest.mark.parametrize("source, expected", [
    ("'10' > 9", True),             # both read as numbers: numeric
    ("'10' > '9'", True),           # still numeric
    ("'10' < 'abc'", True),         # text: '1' < 'a'
    ("'b' > 'a'", True),
    ("1 == 1.0", True),
    ("'1.0' == 1", True),
    ("'1e3' == 1000", True),
    ("'abc' != 5", True),
    ("' 5' == 5", False),           # spaces make it text
    ("true == 'yes'", True),        # a boolean side compares truthiness
    ("false == ''", True),
    ("false < true", True),
    ("1 == true", True),
])
def test_comparison_rules(source, expected):
    assert value(source) is expected


def test_env_compares_numerically_when_both_sides_are_numbers():
    assert value("env.JOBS >= 4", env={"JOBS": "16"}) is True
    assert value("env.JOBS >= '4'", env={"JOBS": "16"}) is True
    assert value("env.NAME >= 'b'", env={"NAME": "alpha"}) is False


def test_and_or_give_booleans():
    assert value("'x' && 2") is True
    assert value("'' || 0") is False


def test_short_circuit_skips_the_right_side(tmp_path):
    marker = tmp_path / "marker"
    assert value(f"false && shell('touch {marker}')", cwd=tmp_path) is False
    assert value(f"true || shell('touch {marker}')", cwd=tmp_path) is True
    assert not marker.exists()
    assert value(f"true && shell('touch {marker}')", cwd=tmp_path) is True
    assert marker.exists()


def test_short_circuit_skips_errors_on_the_right_side():
    assert value("false && nonsense.function()") is False


def test_platform_and_arch():
    assert value("platform == 'linux'") is True  # the test machines run Linux
    assert value("arch", arch="aarch64") == "aarch64"
    assert value("platform == 'windows'", platform="windows") is True


@pytest.mark.parametrize("machine, arch", [
    ("x86_64", "x86_64"), ("AMD64", "x86_64"), ("amd64", "x86_64"),
    ("arm64", "aarch64"), ("aarch64", "aarch64"), ("riscv64", "riscv64"),
])
def test_machine_names_are_normalised(machine, arch):
    assert normalize_arch(machine) == arch


@pytest.mark.parametrize("sys_platform, platform", [
    ("linux", "linux"), ("darwin", "darwin"), ("win32", "windows"), ("cygwin", "windows"),
])
def test_platform_names_are_normalised(sys_platform, platform):
    assert normalize_platform(sys_platform) == platform


def test_task_results_by_index_and_by_dotted_name():
    results = {"build": TaskResult("build", SUCCESS, duration=2.5, exit_code=0),
               "lint": TaskResult("lint", FAILED, exit_code=3)}
    context = dict(tasks=results, known_tasks={"build", "lint", "test"})
    assert value("tasks['build'].success", **context) is True
    assert value("tasks.build.duration > 2", **context) is True
    assert value("tasks['lint'].success", **context) is False
    assert value("tasks['lint'].status", **context) == "failed"
    assert value("tasks['lint'].exit_code == 3", **context) is True
    assert value('tasks["test"].status', **context) == "not_run"
    assert value("tasks['test'].success", **context) is False


def test_stage_results_accept_plain_mappings_and_booleans():
    stages = {"check": {"success": True, "status": "success", "duration": 1},
              "deploy": False}
    assert value("stages['check'].success && stages.check.duration == 1", stages=stages)
    assert value("stages['deploy'].status", stages=stages) == "failed"


def test_unknown_task_is_an_error_with_a_suggestion():
    with pytest.raises(ExprNameError) as caught:
        value("tasks['biuld'].success", tasks={}, known_tasks={"build"})
    assert str(caught.value) == "unknown task 'biuld' at column 7 (did you mean 'build'?)"


def test_unknown_field_is_an_error_listing_the_fields():
    with pytest.raises(ExprNameError) as caught:
        value("tasks['build'].passed", tasks={}, known_tasks={"build"})
    assert str(caught.value) == ("a task has no field 'passed' at column 16"
                                 " (fields: success, status, duration, exit_code)")


@pytest.mark.parametrize("source, message", [
    ("platfrom == 'linux'", "unknown name 'platfrom' at column 1 (did you mean 'platform'?)"),
    ("file.exist('x')", "unknown function 'file.exist' at column 1 (did you mean 'file.exists'?)"),
    ("platform('x')", "'platform' is not a function at column 1"),
    ("tasks", "'tasks' is not a value by itself at column 1 (use it as tasks['name'].success)"),
    ("env == ''", "'env' is not a value by itself at column 1 (use it as env.NAME)"),
    ("platform.x", "a string has no field 'x' at column 1"),
    ("'abc'[0]", "cannot look up [...] in a string at column 6"),
    ("1 && file.exists(1)",
     "file.exists: argument 'path' must be a string, got number 1 at column 6"),
    ("file.newer('a')", "file.newer: takes 2 arguments (target, source), got 1 at column 1"),
])
def test_errors_are_clean_and_located(source, message):
    with pytest.raises(ZrError) as caught:
        value(source)
    assert str(caught.value) == message


def test_functions_registered_by_another_plugin_are_called_with_the_context(tmp_path):
    functions = FunctionRegistry()
    functions.register("git.branch", lambda ctx: "main" if ctx.cwd == str(tmp_path) else "?")
    functions.register("demo.twice", lambda ctx, text: text * 2)
    context = dict(functions=functions, cwd=tmp_path)
    assert value("git.branch == 'main'", **context) is True
    assert value("git.branch() == 'main'", **context) is True
    assert value("demo.twice('ab')", **context) == "abab"


def test_a_function_error_names_the_function_and_column():
    def failing(ctx):
        raise ZrError("not a git repository")

    functions = FunctionRegistry()
    functions.register("git.dirty", failing)
    with pytest.raises(ExprEvalError) as caught:
        value("true && git.dirty", functions=functions)
    assert str(caught.value) == "git.dirty: not a git repository at column 9"


def test_a_function_returning_a_non_value_is_reported():
    functions = FunctionRegistry()
    functions.register("bad.none", lambda ctx: None)
    with pytest.raises(ExprEvalError, match="bad.none returned NoneType"):
        value("bad.none", functions=functions)
