"""Static checks (what `zr validate` reports): found without evaluating anything."""

from zr_plugin_expr import FunctionRegistry, builtin_functions, compile


def problems(source, **known):
    return [str(error) for error in compile(source).check(builtin_functions(), **known)]


def test_a_correct_expression_has_no_problems():
    assert problems("platform == 'linux' && tasks['build'].success && file.exists('x')"
                    " && semver.gte(env.V, '1.0') && stages.test.status == 'success'",
                    known_tasks={"build"}, known_stages={"test"}) == []


def test_every_problem_is_reported_in_source_order_even_behind_false():
    assert problems("false && (file.exist('a') || tasks['biuld'].sucess || platfrom)",
                    known_tasks={"build"}) == [
        "unknown function 'file.exist' at column 11 (did you mean 'file.exists'?)",
        "unknown task 'biuld' at column 36 (did you mean 'build'?)",
        "unknown name 'platfrom' at column 55 (did you mean 'platform'?)",
    ]


def test_a_wrong_field_of_a_known_task_points_at_the_field():
    assert problems("tasks['build'].sucess", known_tasks={"build"}) == [
        "a task has no field 'sucess' at column 16 (did you mean 'success'?)"]
    assert problems("tasks.build.passed", known_tasks={"build"}) == [
        "a task has no field 'passed' at column 1 (fields: success, status, duration,"
        " exit_code)"]


def test_names_of_tasks_are_not_checked_when_unknown_to_the_caller():
    assert problems("tasks['anything'].success") == []


def test_functions_of_other_plugins_are_known_when_registered():
    functions = FunctionRegistry()
    functions.register("git.branch", lambda ctx: "main")
    assert compile("git.branch == 'main'").check(functions) == []
    expression = compile("git.brnch == 'main' && git.dirty")
    assert [str(e) for e in expression.check(functions)] == [
        "unknown name 'git.brnch' at column 1 (did you mean 'git.branch'?)",
        "unknown name 'git.dirty' at column 24"]


def test_calling_a_name_that_is_not_a_function():
    assert problems("env.HOME('x')") == ["'env.HOME' is not a function at column 1"]
    assert problems("platform.name") == ["a string has no field 'name' at column 1"]
