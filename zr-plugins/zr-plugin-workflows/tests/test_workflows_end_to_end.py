"""Workflows as a user meets them: `zr workflow` on temporary projects."""

from __future__ import annotations

import json
import re

RELEASE = """
    [tasks.compile]
    cmd = "echo compiling"
    [tasks.lint]
    cmd = "echo linting"
    [tasks.unit]
    deps = ["compile"]
    cmd = "echo unit tests; exit ${UNIT_EXIT:-0}"
    [tasks.integration]
    deps = ["compile"]
    cmd = "echo integration tests"
    [tasks.package]
    deps = ["compile"]
    cmd = "echo packaging"
    [tasks.deploy]
    cmd = "echo deploying to $TARGET"
    [tasks.report-failure]
    cmd = "echo reporting the failure"

    [workflows.release]
    description = "Build, test and ship"

    [[workflows.release.stages]]
    name = "build"
    tasks = ["compile", "lint"]

    [[workflows.release.stages]]
    name = "test"
    tasks = ["unit", "integration"]
    parallel = false
    fail_fast = FAIL_FAST

    [[workflows.release.stages]]
    name = "package"
    tasks = ["package"]

    [[workflows.release.stages]]
    name = "deploy"
    tasks = ["deploy"]
    condition = "stages['test'].success"

    [[workflows.release.stages]]
    name = "on-failure"
    tasks = ["report-failure"]
    condition = "!stages['test'].success"
"""


def release(fail_fast: bool) -> str:
    return RELEASE.replace("FAIL_FAST", "true" if fail_fast else "false")


def printed(result, task: str) -> list:
    return re.findall(rf"^{re.escape(task)} *\| (.*)$", result.output, re.MULTILINE)


def stage_rows(result) -> dict:
    """The summary table: stage name -> (status, tasks, duration)."""
    rows = {}
    for line in result.stderr.splitlines():
        match = re.match(r"^zr:   (\S+) +(success|failed|skipped|not run|interrupted) +"
                         r"(\d+/\d+) +(\S+)$", line)
        if match:
            rows[match.group(1)] = (match.group(2), match.group(3), match.group(4))
    return rows


def test_stages_run_in_order_and_the_summary_has_one_row_per_stage(zr_project):
    zr_project.write(release(fail_fast=True))
    result = zr_project.run("workflow", "release", env={"TARGET": "staging"})
    assert result.returncode == 0, result.output
    order = [line.split("|")[1].strip() for line in result.stdout.splitlines()]
    assert set(order[:2]) == {"compiling", "linting"}
    assert order[2:] == ["unit tests", "integration tests", "packaging",
                         "deploying to staging"]
    rows = stage_rows(result)
    assert list(rows) == ["build", "test", "package", "deploy", "on-failure"]
    assert [status for status, _, _ in rows.values()] == [
        "success", "success", "success", "success", "skipped"]
    assert rows["build"][1] == "2/2" and rows["test"][1] == "2/2"
    assert rows["on-failure"][2] == "-"
    assert "zr: stage on-failure skipped (condition is false: !stages['test'].success)" \
        in result.stderr
    assert "workflow release succeeded" in result.stderr


def test_a_fail_fast_stage_that_fails_stops_the_stage_and_the_workflow(zr_project):
    zr_project.write(release(fail_fast=True))
    result = zr_project.run("workflow", "release", env={"UNIT_EXIT": "3"})
    assert result.returncode == 1
    assert printed(result, "unit") == ["unit tests"]
    assert printed(result, "integration") == []  # not started after the failure
    assert printed(result, "package") == [] and printed(result, "report-failure") == []
    assert "unit failed (exit 3)" in result.stderr
    rows = stage_rows(result)
    assert {name: row[0] for name, row in rows.items()} == {
        "build": "success", "test": "failed", "package": "not run", "deploy": "not run",
        "on-failure": "not run"}
    assert rows["test"][1] == "0/2"
    assert "zr: error: workflow release failed in" in result.stderr
    assert "stage test failed" in result.stderr


def test_without_fail_fast_the_stage_finishes_and_later_stages_follow_conditions(
        zr_project):
    zr_project.write(release(fail_fast=False))
    result = zr_project.run("workflow", "release", env={"UNIT_EXIT": "3"})
    assert result.returncode == 1
    assert printed(result, "integration") == ["integration tests"]
    assert printed(result, "package") == ["packaging"]  # no condition: runs
    assert printed(result, "deploy") == []  # stages['test'].success is false
    assert printed(result, "report-failure") == ["reporting the failure"]
    rows = stage_rows(result)
    assert {name: row[0] for name, row in rows.items()} == {
        "build": "success", "test": "failed", "package": "success", "deploy": "skipped",
        "on-failure": "success"}
    assert rows["test"][1] == "1/2"
    assert "stage deploy skipped (condition is false: stages['test'].success)" \
        in result.stderr


def test_a_task_whose_dependency_failed_in_an_earlier_stage_does_not_run(zr_project):
    zr_project.write("""
        [tasks.migrate]
        cmd = "exit 4"
        [tasks.smoke]
        cmd = "echo smoke"
        [tasks.serve]
        deps = ["migrate"]
        cmd = "echo serving"
        [tasks.announce]
        cmd = "echo announcing"

        [workflows.up]
        stages = [
            { name = "prepare", tasks = ["migrate", "smoke"], fail_fast = false },
            { name = "run", tasks = ["serve", "announce"] },
        ]
    """)
    result = zr_project.run("workflow", "up")
    assert result.returncode == 1
    assert printed(result, "smoke") == ["smoke"]
    assert printed(result, "serve") == []
    assert printed(result, "announce") == ["announcing"]
    assert stage_rows(result)["run"][:2] == ("failed", "1/2")


def test_parallel_false_runs_tasks_one_after_another(zr_project):
    # Each task holds a lock directory while it runs; overlapping fails.
    lock = "mkdir lock || { echo overlap; exit 1; }; sleep 0.2; rmdir lock"
    zr_project.write(f"""
        [tasks.a]
        cmd = "{lock}"
        [tasks.b]
        cmd = "{lock}"
        [tasks.c]
        cmd = "{lock}"

        [[workflows.w.stages]]
        name = "serial"
        tasks = ["a", "b", "c"]
        parallel = false
    """)
    result = zr_project.run("workflow", "w", "-j", "3")
    assert result.returncode == 0, result.output
    assert stage_rows(result)["serial"][:2] == ("success", "3/3")


def test_parallel_stages_run_their_tasks_at_once(zr_project):
    # Each task waits (boundedly) for the other's file: both succeed only
    # when they run at the same time.
    wait = ("touch {me}; for i in $(seq 400); do test -f {other} && exit 0; sleep 0.05; "
            "done; echo alone; exit 1")
    zr_project.write(f"""
        [tasks.a]
        cmd = "{wait.format(me='a.up', other='b.up')}"
        [tasks.b]
        cmd = "{wait.format(me='b.up', other='a.up')}"

        [[workflows.w.stages]]
        name = "together"
        tasks = ["a", "b"]
    """)
    result = zr_project.run("workflow", "w", "-j", "2")
    assert result.returncode == 0, result.output
    assert "alone" not in result.stdout


def test_workflow_accepts_task_options_such_as_jobs_env_and_profile(zr_project):
    zr_project.write("""
        [tasks.show]
        cmd = "echo target=$TARGET extra=$EXTRA"

        [profiles.prod]
        env = { TARGET = "production" }

        [workflows.ship]
        stages = [{ name = "show", tasks = ["show"] }]
    """)
    result = zr_project.run("workflow", "ship", "--profile", "prod", "-j", "1",
                            "-e", "EXTRA=yes")
    assert result.returncode == 0, result.output
    assert printed(result, "show") == ["target=production extra=yes"]


def test_a_dependency_shared_by_two_stages_runs_once(zr_project):
    zr_project.write("""
        [tasks.setup]
        cmd = "echo setting up"
        [tasks.one]
        deps = ["setup"]
        cmd = "echo one"
        [tasks.two]
        deps = ["setup"]
        cmd = "echo two"

        [workflows.w]
        stages = [{ name = "first", tasks = ["one"] }, { name = "second", tasks = ["two"] }]
    """)
    result = zr_project.run("workflow", "w")
    assert result.returncode == 0, result.output
    assert printed(result, "setup") == ["setting up"]
    assert stage_rows(result)["second"][1] == "1/1"


def test_matrix_tasks_in_a_stage_run_every_cell(zr_project):
    zr_project.write("""
        [tasks.test]
        cmd = "echo on ${matrix.os}"
        matrix = { os = ["linux", "mac"] }

        [workflows.ci]
        stages = [{ name = "test", tasks = ["test"] }]
    """)
    result = zr_project.run("workflow", "ci")
    assert result.returncode == 0, result.output
    assert printed(result, "test[os=linux]") == ["on linux"]
    assert printed(result, "test[os=mac]") == ["on mac"]


def test_bare_workflow_command_and_zr_list_show_the_workflows(zr_project):
    zr_project.write(release(fail_fast=True) + """
        [workflows.quick]
        stages = [{ name = "lint", tasks = "lint" }]
    """)
    listed = zr_project.run("workflow")
    assert listed.returncode == 0, listed.output
    assert listed.stdout.splitlines() == [
        "quick    1 stage: lint",
        "release  Build, test and ship (5 stages: build, test, package, deploy, on-failure)",
    ]
    tasks = zr_project.run("list")
    assert tasks.returncode == 0, tasks.output
    assert tasks.stdout.splitlines()[-2:] == [
        "quick (workflow)",
        "release (workflow)  Build, test and ship",
    ]


def test_no_workflows_at_all(zr_project):
    zr_project.write('[tasks.a]\ncmd = "true"\n')
    assert zr_project.run("workflow").stdout == "no workflows in zr.toml\n"
    result = zr_project.run("workflow", "release")
    assert result.returncode == 2
    assert "no workflow named 'release': zr.toml defines no [workflows]" in result.stderr


def test_an_unknown_workflow_is_a_usage_error_with_a_suggestion(zr_project):
    zr_project.write(release(fail_fast=True))
    result = zr_project.run("workflow", "relase")
    assert result.returncode == 2
    assert ("zr: error: no workflow named 'relase' (did you mean 'release'?); "
            "`zr workflow` lists the workflows") in result.stderr
    assert result.stdout == ""


def test_dry_run_prints_each_stage_and_runs_nothing(zr_project):
    zr_project.write(release(fail_fast=True).replace('echo deploying', 'touch deployed; echo'))
    result = zr_project.run("workflow", "release", "--dry-run")
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "stage 1/5: build (in parallel, fail fast)"
    assert "stage 2/5: test (one after another, fail fast)" in lines
    assert "  runs if: stages['test'].success" in lines
    assert lines.count("[1/1] compile") == 0  # planned in stage 1 only
    assert "  $ echo compiling" in lines
    assert not (zr_project.path / "deployed").exists()


def test_json_format_reports_stages_and_their_tasks(zr_project):
    zr_project.write(release(fail_fast=True))
    result = zr_project.run("workflow", "release", "--format", "json",
                            env={"UNIT_EXIT": "2"})
    assert result.returncode == 1
    payload = json.loads(result.stdout)
    assert payload["workflow"] == "release" and payload["exit_code"] == 1
    stages = {stage["name"]: stage for stage in payload["stages"]}
    assert stages["test"]["status"] == "failed" and stages["test"]["exit_code"] == 2
    assert [t["task"] for t in stages["test"]["tasks"]] == ["unit", "integration"]
    assert stages["deploy"]["status"] == "not_run"


def test_ctrl_c_interrupts_the_stage_and_stops_the_workflow(zr_project):
    import signal

    zr_project.write("""
        [tasks.long]
        cmd = "echo started; sleep 30"
        [tasks.later]
        cmd = "echo later"

        [workflows.w]
        stages = [
            { name = "long", tasks = ["long"], fail_fast = false },
            { name = "later", tasks = ["later"] },
        ]
    """)
    proc = zr_project.popen("workflow", "w")
    try:
        assert "started" in proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert "later" not in stdout
    lines = [line for line in stderr.splitlines() if line.startswith("zr:   ")]
    assert [line.split()[1:3] for line in lines[1:]] == [["long", "interrupted"],
                                                        ["later", "not"]]
