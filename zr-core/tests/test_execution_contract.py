"""The execution contract through the real ``zr``: plan transforms compose,
executors are waited on by the loop (and ended by timeout and Ctrl-C when
they never finish), zr_task_env runs once per attempt, ``finally`` is the
attempt's last phase, run.control pauses and cancels, zr_task_failed
retries or skips, SIGHUP ends a run like SIGTERM."""

import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest

PLUGIN_DIR = Path(__file__).parent / "plugins"
pytestmark = pytest.mark.crossversion


def plugin_env(project, modules: str, **extra) -> dict:
    env = {"ZR_PLUGINS": modules,
           "PYTHONPATH": os.pathsep.join([str(PLUGIN_DIR), str(project.path)]),
           "ZR_HOOK_LOG": str(project.path / "hooks.log")}
    env.update(extra)
    return env


def squeezed(result):
    """The result with task prefixes unpadded (``one   | x`` -> ``one | x``)."""
    result.stdout = re.sub(r" +\| ", " | ", result.stdout)
    result.stderr = re.sub(r" +\| ", " | ", result.stderr)
    return result


def hook_log(project) -> list:
    path = project.path / "hooks.log"
    return path.read_text().splitlines() if path.exists() else []


def test_two_plan_transforms_compose(zr_project):
    tools = zr_project.path / "tools"
    zr_project.file("tools/mytool", "#!/bin/sh\necho mytool ran with $1\n", mode=0o755)
    zr_project.write('[tasks.build]\ncmd = "mytool fast"\n')
    env = plugin_env(zr_project, "zr_plan_path,zr_plan_wrap", TEST_TOOLS_DIR=str(tools),
                     TEST_WRAP="1")
    result = zr_project.run("run", "build", env=env)
    assert result.returncode == 0, result
    # The wrapper (trylast) ran around the command and saw the PATH the
    # toolchain-like transform (tryfirst) set.
    assert f"build | wrapped: {tools}/mytool" in result.stdout
    assert "build | mytool ran with fast" in result.stdout


def test_a_thread_pool_executor_runs_attempts_and_streams_their_output(zr_project):
    marker = zr_project.path / "pool.log"
    zr_project.write("""
        [tasks.one]
        cmd = ["echo one-out", "echo one-err >&2"]
        pool = "run"
        [tasks.two]
        cmd = "echo two-out; exit 3"
        pool = "run"
        retry = 1
        [tasks.after]
        deps = ["one"]
        cmd = "echo after"
    """)
    env = plugin_env(zr_project, "zr_pool_executor", POOL_MARKER=str(marker))
    result = squeezed(zr_project.run("run", "after", "two", "--keep-going", "-j", "2", env=env))
    assert result.returncode == 1, result
    assert "one | one-out" in result.stdout and "one | one-err" in result.stderr
    assert "after | after" in result.stdout
    assert result.stdout.count("two | two-out") == 2  # both attempts, via the pool
    assert "two failed (exit 3)" in result.stderr
    ran = marker.read_text().splitlines()
    assert sorted(line.split()[0] for line in ran) == ["one", "two", "two"]
    assert all("zr-test-pool" in line for line in ran)


def test_an_executor_that_never_finishes_is_ended_by_its_timeout(zr_project):
    zr_project.write("""
        [settings]
        kill_grace = "0.2s"
        [tasks.stuck]
        cmd = "true"
        pool = "hang"
        timeout = "0.5s"
        [tasks.other]
        cmd = "echo other ran"
    """)
    result = squeezed(zr_project.run("run", "stuck", "other", "--keep-going",
                                     env=plugin_env(zr_project, "zr_pool_executor"), timeout=30))
    assert result.returncode == 1, result
    assert "stuck timed out (after 0.5s)" in result.stderr
    assert "other | other ran" in result.stdout


def test_ctrl_c_ends_an_executor_that_never_finishes(zr_project):
    marker = zr_project.path / "pool.log"
    zr_project.write("""
        [settings]
        kill_grace = "0.3s"
        [tasks.stuck]
        cmd = "true"
        pool = "hang"
    """)
    proc = zr_project.popen("run", "stuck",
                            env=plugin_env(zr_project, "zr_pool_executor",
                                           POOL_MARKER=str(marker)))
    try:
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), "the executor never started"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "stuck interrupted" in err


def test_zr_task_env_runs_once_per_attempt(zr_project):
    zr_project.write("""
        [tasks.flaky]
        cmd = "exit 1"
        retry = 2
        require = [{ if = "env.HOME" }]
        finally = "true"
    """)
    result = zr_project.run("run", "flaky", env=plugin_env(zr_project, "zr_hook_counter"))
    assert result.returncode == 1
    # Guard, attempt 1 and finally share one composition; each retry has its own.
    assert hook_log(zr_project).count("env flaky") == 3


def test_finally_streams_in_the_loop_and_fails_a_task_it_cannot_clean(zr_project):
    zr_project.write("""
        [tasks.ok]
        cmd = "echo work"
        finally = ["echo cleaning $ZR_TASK", "echo cleanup-err >&2"]
        [tasks.broken-cleanup]
        cmd = "echo work"
        finally = "exit 4"
        [tasks.failing]
        cmd = "exit 2"
        finally = "echo cleaned anyway"
    """)
    result = squeezed(zr_project.run("run", "ok", "broken-cleanup", "failing", "--keep-going"))
    assert result.returncode == 1
    assert "ok | cleaning ok" in result.stdout and "ok | cleanup-err" in result.stderr
    assert "broken-cleanup failed (finally failed (exit 4))" in result.stderr
    assert "failing | cleaned anyway" in result.stdout
    assert "failing failed (exit 2)" in result.stderr


def test_a_paused_task_stops_and_its_timeout_clock_with_it(zr_project):
    zr_project.write("""
        [tasks.paused]
        cmd = "sleep 1; echo finished"
        timeout = "1.5s"
        control = "pause"
    """)
    result = zr_project.run("run", "paused", env=plugin_env(zr_project, "zr_hook_counter"))
    log = hook_log(zr_project)
    assert "paused paused state=T" in log  # SIGSTOP reached the process group
    assert "resuming paused" in log
    # Paused for 2s of a 1.5s timeout: the clock stopped while it was stopped.
    assert result.returncode == 0, result
    assert "paused | finished" in result.stdout


def test_a_cancelled_task_fails_and_blocks_its_dependents(zr_project):
    zr_project.write("""
        [tasks.long]
        cmd = "sleep 30"
        control = "cancel"
        [tasks.after]
        deps = ["long"]
        cmd = "echo should not run"
    """)
    result = zr_project.run("run", "after", env=plugin_env(zr_project, "zr_hook_counter"),
                            timeout=30)
    assert result.returncode == 1
    assert "long failed (cancelled)" in result.stderr
    assert "should not run" not in result.stdout


def test_zr_task_failed_can_retry_or_skip(zr_project):
    counter = zr_project.path / "count"
    zr_project.write(f"""
        [tasks.second-time-lucky]
        cmd = "echo x >> {counter}; test $(wc -l < {counter}) -ge 2"
        on_failure = "retry-once"
        [tasks.optional]
        cmd = "exit 5"
        on_failure = "skip"
        [tasks.after]
        deps = ["optional", "second-time-lucky"]
        cmd = "echo after ran"
    """)
    result = squeezed(zr_project.run("run", "after",
                                     env=plugin_env(zr_project, "zr_hook_counter")))
    assert result.returncode == 0, result
    assert "optional skipped (skipped after it failed (exit 5))" in result.stderr
    assert "after | after ran" in result.stdout
    assert "failed second-time-lucky failed attempts=1" in hook_log(zr_project)
    assert counter.read_text().count("x") == 2


def test_sighup_stops_a_run_like_sigterm_with_exit_129(zr_project):
    started = zr_project.path / "started"
    zr_project.write(f'[tasks.long]\ncmd = "touch {started}; sleep 30"\n')
    proc = zr_project.popen("run", "long")
    try:
        deadline = time.monotonic() + 20
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGHUP)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 129, err
    assert "long interrupted" in err


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_paused_task_is_continued_to_react_to_an_interrupt(zr_project, signum):
    """Paused through run.control and never resumed, a task still handles
    the interrupt zr passes on (its trap runs) instead of lying stopped
    until the kill grace (a minute here, past the test's patience) ends."""
    zr_project.write("""
        [settings]
        kill_grace = "60s"

        [tasks.paused]
        cmd = "trap 'echo trapped; exit 3' INT; while :; do sleep 0.1; done"
        control = "pause-only"
    """)
    proc = zr_project.popen("run", "paused", env=plugin_env(zr_project, "zr_hook_counter"))
    try:
        deadline = time.monotonic() + 20
        while not any(line.startswith("paused paused state=T") for line in hook_log(zr_project)):
            assert time.monotonic() < deadline and proc.poll() is None, hook_log(zr_project)
            time.sleep(0.05)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, err
    assert re.search(r"^paused +\| trapped$", out, re.M), (out, err)
    assert "paused interrupted" in err


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_process_started_reports_the_group_leader(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo hi"\n')
    env = {"ZR_PLUGINS": "zr_hook_recorder", "PYTHONPATH": str(PLUGIN_DIR),
           "ZR_HOOK_LOG": str(zr_project.path / "hooks.log")}
    assert zr_project.run("run", "a", env=env).returncode == 0
    assert "zr_process_started a:True" in hook_log(zr_project)


def launcher_project(zr_project, key: str = ""):
    launcher = zr_project.file("bin/launch", '#!/bin/sh\necho "launched $1"\nshift\nexec "$@"\n',
                               mode=0o755)
    zr_project.write("""
        [tasks.build]
        cmd = "echo built with $LAUNCHER_MODE"
    """)
    return plugin_env(zr_project, "zr_plan_launcher", TEST_LAUNCHER=str(launcher),
                      TEST_LAUNCHER_KEY=key)


def test_a_wrapper_runs_around_the_command_but_stays_out_of_the_key(zr_project):
    env = launcher_project(zr_project, key="launcher v1")

    result = squeezed(zr_project.run("run", "build", env=env))

    assert result.returncode == 0, result
    assert "build | launched --label" in result.stdout
    assert "build | built with fast" in result.stdout
    seen = json.loads(hook_log(zr_project)[0])
    assert seen["argvs"] == [["sh", "-e", "-c", "echo built with $LAUNCHER_MODE"]]
    assert seen["key_parts"] == [["wrapped in", "launcher v1"]]
    assert seen["key_env"] == ["LAUNCHER_MODE"]  # not PATH, not LAUNCHER_HOME


def test_a_wrapper_without_a_key_adds_no_key_part(zr_project):
    env = launcher_project(zr_project)

    assert zr_project.run("run", "build", env=env).returncode == 0
    assert json.loads(hook_log(zr_project)[0])["key_parts"] == []


def test_the_dry_run_prints_the_transformed_commands_and_starts_nothing(zr_project):
    env = launcher_project(zr_project)
    launcher = env["TEST_LAUNCHER"]
    env["ZR_PLUGINS"] += ",zr_hook_recorder"

    result = zr_project.run("run", "-n", "build", env=env)

    assert result.returncode == 0, result
    assert (f"  $ {launcher} --label sh -e -c 'echo built with $LAUNCHER_MODE'"
            in result.stdout), result.stdout
    assert "launched" not in result.stdout
    assert not any("zr_run_start" in line or "executor" in line
                   for line in hook_log(zr_project)), hook_log(zr_project)


def test_a_task_refused_admission_waits_while_others_pass_it(zr_project):
    # Each moment goes to its own file: three tasks appending to one log
    # once left a blank line in it on CI.
    zr_project.file("stamp.py", """
        import sys, time
        with open(sys.argv[1] + ".stamp", "w") as f:
            f.write(repr(time.time()))
    """)
    stamp = "python3 stamp.py {}"
    # first ends once passes started (or after 20 s, failing the test): no timing guess.
    wait_for_passes = ("for i in $(seq 200); do test -s passes-start.stamp && break; "
                       "sleep 0.1; done")
    zr_project.write(f"""
        [tasks.first]
        cmd = ["{stamp.format('first-start')}", "{wait_for_passes}",
               "{stamp.format('first-end')}"]
        [tasks.waits]
        recorded = "wait"
        cmd = "{stamp.format('waits-start')}"
        [tasks.passes]
        cmd = "{stamp.format('passes-start')}"
        [tasks.all]
        deps = ["first", "waits", "passes"]
    """)

    result = zr_project.run("run", "all", "-j", "3",
                            env=plugin_env(zr_project, "zr_hook_recorder"))

    assert result.returncode == 0, result
    times = {path.stem: path.read_text() for path in zr_project.path.glob("*.stamp")}
    # waits was refused while first ran; passes, after it in start order, started.
    assert float(times["passes-start"]) < float(times["first-end"]), times
    assert float(times["waits-start"]) >= float(times["first-end"]), times
    log = hook_log(zr_project)
    assert "zr_task_admit waits beside first" in log, log
    assert not any(line.startswith("zr_task_admit first") for line in log), log
