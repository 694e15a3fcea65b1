"""A wrong `matrix` is a one-paragraph config error naming the line and key path."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("matrix, message", [
    ('"linux"', 'tasks.test.matrix: expected a table of axes'),
    ("{}", "tasks.test.matrix: expected at least one axis"),
    ("{ py = [] }", "tasks.test.matrix.py: an axis needs at least one value, got []"),
    ('{ py = "3.11" }', 'tasks.test.matrix.py: expected an array of values'),
    ('{ py = ["3.11", { v = 1 }] }',
     "tasks.test.matrix.py[1]: item 2: expected a string, number or boolean, got a table"),
    ('{ py = ["3.11", ["3.12"]] }',
     "tasks.test.matrix.py[1]: item 2: expected a string, number or boolean, got an array"),
    ('{ py = ["3.11", "3.11"] }', 'tasks.test.matrix.py: the value "3.11" is listed twice'),
    ('{ py = ["a=b"] }', 'tasks.test.matrix.py[0]: item 1: "a=b" cannot be part of a task name'),
    ('{ "python version" = ["3.11"] }',
     "tasks.test.matrix.python version: axis name 'python version' is not allowed"),
    ('{ py = ["3.11"], exclude = [{ pyy = "3.11" }] }',
     "tasks.test.matrix.exclude[0].pyy: entry 1: unknown key 'pyy' (did you mean 'py'?); "
     "the axes are py"),
    ('{ py = ["3.11"], os = ["linux"], include = [{ py = "3.12", arch = "arm" }] }',
     "tasks.test.matrix.include[0].arch: entry 1: unknown key 'arch'; the axes are py, os"),
    ('{ py = ["3.11"], os = ["linux"], include = [{ py = "3.12" }] }',
     "tasks.test.matrix.include[0]: entry 1: missing os; an include entry gives a value for "
     "every axis (py, os)"),
    ('{ py = ["3.11"], exclude = "3.11" }', "tasks.test.matrix.exclude: expected an array"),
    ('{ py = ["3.11"], exclude = [{ py = "3.11" }] }',
     "tasks.test.matrix: exclude removes every combination, so no cell would run"),
])
def test_bad_matrix_is_a_config_error_with_its_key_path(zr_project, matrix, message):
    zr_project.write(f"""
        [tasks.build]
        cmd = "true"

        [tasks.test]
        cmd = "echo hi"
        matrix = {matrix}
    """)
    result = zr_project.run("list")
    assert result.returncode == 2
    assert f"zr: error: zr.toml:6: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_matrix_key_in_a_command_names_the_field(zr_project):
    zr_project.write("""
        [tasks.test]
        matrix = { py = ["3.11"] }
        env = { PY = "${matrix.python}" }
        cmd = "echo $PY"
    """)
    result = zr_project.run("run", "test")
    assert result.returncode == 2
    assert ("zr.toml:3: tasks.test.env: unknown matrix key 'python' in ${matrix.python}; "
            "the axes are py") in result.stderr


def test_a_cell_name_is_not_accepted_as_a_task_name_in_zr_toml(zr_project):
    zr_project.write("""
        [tasks."test[py=3.11]"]
        cmd = "true"
    """)
    result = zr_project.run("list")
    assert result.returncode == 2
    assert "brackets" in result.stderr


def test_errors_inside_a_matrix_table_point_at_their_own_line(zr_project):
    zr_project.write("""
        [tasks.test]
        cmd = "echo hi"

        [tasks.test.matrix]
        py = ["3.11", "3.12"]
        os = ["linux"]
        exclude = [{ python = "3.11" }]
    """)
    result = zr_project.run("list")
    assert result.returncode == 2
    assert ("zr.toml:7: tasks.test.matrix.exclude[0].python: entry 1: unknown key 'python'; "
            "the axes are py, os") in result.stderr
