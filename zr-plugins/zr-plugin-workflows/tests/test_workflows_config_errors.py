"""A wrong `[workflows]` is a one-paragraph config error with its line and key."""

from __future__ import annotations

import pytest

TASKS = """\
[tasks.build]
cmd = "true"
[tasks.test]
cmd = "true"

"""


@pytest.mark.parametrize("workflows, message", [
    ('[workflows]\nrelease = "build"\n',
     "zr.toml:7: workflows.release: expected a table with a description and "
     "[[workflows.release.stages]]"),
    ('[workflows.release]\ndescription = "x"\n',
     "zr.toml:6: workflows.release: a workflow needs stages: add "
     "[[workflows.release.stages]] tables with a name and tasks"),
    ('[workflows.release]\nstages = []\n',
     "zr.toml:7: workflows.release.stages: a workflow needs at least one stage"),
    ('[workflows.release]\nsteps = []\n',
     "zr.toml:7: workflows.release.steps: unknown key 'steps' (did you mean 'stages'?); "
     "a workflow has description, stages"),
    ('[[workflows.release.stages]]\ntasks = ["build"]\n',
     "zr.toml:6: workflows.release.stages[0].name: stage 1: expected a name (a string), got "
     "nothing"),
    ('[[workflows.release.stages]]\nname = "b"\n',
     "zr.toml:6: workflows.release.stages[0]: stage 1 ('b'): missing tasks (an array of task "
     "names)"),
    ('[[workflows.release.stages]]\nname = "b"\ntasks = []\n',
     "zr.toml:8: workflows.release.stages[0].tasks: stage 1 ('b'): a stage needs at least "
     "one task"),
    ('[[workflows.release.stages]]\nname = "b"\ntasks = ["build"]\nparallel = "no"\n',
     "zr.toml:9: workflows.release.stages[0].parallel: stage 1 ('b'): expected true or false, "
     'got "no"'),
    ('[[workflows.release.stages]]\nname = "b"\ntasks = ["build"]\nfailfast = true\n',
     "zr.toml:9: workflows.release.stages[0].failfast: unknown key 'failfast' (did you mean "
     "'fail_fast'?); stage 1 has name, tasks, parallel, fail_fast, condition"),
    ('[[workflows.release.stages]]\nname = "b"\ntasks = ["build"]\n'
     '[[workflows.release.stages]]\nname = "b"\ntasks = ["test"]\n',
     "zr.toml:10: workflows.release.stages[1].name: stage 2: the name 'b' is already used by "
     "stage 1"),
    ('[workflows.release]\nstages = [{ name = "b", tasks = "build", condition = true }]\n',
     "zr.toml:7: workflows.release.stages[0].condition: stage 1 ('b'): expected an expression "
     "(a string), got true"),
])
def test_wrong_shape(zr_project, workflows, message):
    zr_project.write(TASKS + workflows)
    result = zr_project.run("list")
    assert result.returncode == 2
    assert f"zr: error: {message}" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_task_in_a_stage_points_at_that_stage(zr_project):
    zr_project.write(TASKS + """\
[[workflows.release.stages]]
name = "build"
tasks = ["build"]

[[workflows.release.stages]]
name = "check"
tasks = ["tset"]
""")
    result = zr_project.run("workflow", "release")
    assert result.returncode == 2
    assert ("zr: error: zr.toml:12: workflows.release.stages.tasks: stage 'check': unknown "
            "task 'tset' (did you mean 'test'?)") in result.stderr
    validate = zr_project.run("validate")
    assert validate.returncode == 2
    assert "unknown task 'tset'" in validate.output


def test_a_condition_with_a_syntax_error_or_an_unknown_stage_is_reported_at_load(
        zr_project):
    zr_project.write(TASKS + """\
[[workflows.release.stages]]
name = "build"
tasks = ["build"]

[[workflows.release.stages]]
name = "test"
tasks = ["test"]
condition = "stages['biuld'].success"
""")
    result = zr_project.run("list")
    assert result.returncode == 2
    assert ("zr.toml:13: workflows.release.stages.condition: stage 'test': unknown stage "
            "'biuld'") in result.stderr
    assert "did you mean 'build'?" in result.stderr

    zr_project.write(TASKS + """\
[[workflows.release.stages]]
name = "test"
tasks = ["test"]
condition = "stages['test'].success &&"
""")
    result = zr_project.run("list")
    assert result.returncode == 2
    assert "zr.toml:9: workflows.release.stages.condition: stage 'test': " in result.stderr


def test_a_private_task_cannot_be_a_stage_task(zr_project):
    zr_project.write("""
        [tasks._helper]
        cmd = "true"

        [workflows.w]
        stages = [{ name = "s", tasks = ["_helper"] }]
    """)
    result = zr_project.run("workflow", "w")
    assert result.returncode == 2
    assert "task '_helper' is private" in result.stderr
