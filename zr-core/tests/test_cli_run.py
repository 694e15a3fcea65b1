"""`zr run` end to end: fields, flags and exit codes, with the real command."""

import json


def test_runs_task_and_dependencies_with_prefixed_output(zr_project):
    zr_project.write("""
        [tasks.compile]
        cmd = "echo compiling"
        [tasks.build]
        description = "Build it"
        deps = ["compile"]
        cmd = ["echo one", "echo two >&2"]
    """)
    result = zr_project.run("run", "build")
    assert result.returncode == 0, result
    assert "compile | compiling" in result.stdout
    assert result.stdout.index("compiling") < result.stdout.index("build   | one")
    assert "build   | two" in result.stderr
    assert "2 tasks" in result.stderr and "2 succeeded" in result.stderr


def test_bare_task_name_is_a_shortcut_for_run(zr_project):
    zr_project.write('[tasks.hello]\ncmd = "echo hi"\n')
    result = zr_project.run("hello")
    assert result.returncode == 0
    assert "hello | hi" in result.stdout


def test_failing_task_exit_code_and_summary(zr_project):
    zr_project.write("""
        [tasks.build]
        cmd = "exit 42"
        [tasks.after]
        deps = ["build"]
        cmd = "echo should not run"
    """)
    result = zr_project.run("run", "after")
    assert result.returncode == 1
    assert "build failed (exit 42)" in result.stderr
    assert "should not run" not in result.stdout
    assert "1 not run" in result.stderr


def test_command_not_found_exits_127(zr_project):
    zr_project.write('[tasks.x]\ncmd = "definitely-not-a-command-zr"\n')
    result = zr_project.run("run", "x")
    assert result.returncode == 127
    assert "not found" in result.stderr
    assert "x failed (exit 127)" in result.stderr


def test_multiline_cmd_stops_at_first_failing_line(zr_project):
    zr_project.write('''
        [tasks.x]
        cmd = """
        echo first
        false
        echo never
        """
    ''')
    result = zr_project.run("run", "x")
    assert result.returncode == 1
    assert "first" in result.stdout
    assert "never" not in result.stdout


def test_list_of_commands_stops_at_first_failure(zr_project):
    zr_project.write('[tasks.x]\ncmd = ["echo a", "exit 3", "echo c"]\n')
    result = zr_project.run("run", "x")
    assert result.returncode == 1
    assert "x | a" in result.stdout and "x | c" not in result.stdout
    assert "exit 3" in result.stderr


def test_cwd_is_relative_to_config_and_missing_cwd_is_config_error(zr_project):
    (zr_project.path / "sub").mkdir()
    zr_project.write("""
        [tasks.here]
        cwd = "sub"
        cmd = "pwd"
        [tasks.bad]
        cwd = "nope"
        cmd = "pwd"
    """)
    result = zr_project.run("run", "here")
    assert result.stdout.strip().endswith("/project/sub")
    nested = zr_project.path / "sub"
    assert zr_project.run("run", "here", cwd=nested).returncode == 0  # found upwards
    bad = zr_project.run("run", "bad")
    assert bad.returncode == 2
    assert "tasks.bad.cwd" in bad.stderr and "'nope' does not exist" in bad.stderr


def test_environment_precedence(zr_project):
    zr_project.write("""
        [env]
        A = "from-env-table"
        B = "from-env-table"
        C = "from-env-table"
        NUM = 1.5
        FLAG = true
        [tasks.show]
        env = { B = "from-task", C = "from-task" }
        cmd = "echo A=$A B=$B C=$C D=$D NUM=$NUM FLAG=$FLAG TASK=$ZR_TASK"
    """)
    result = zr_project.run("run", "show", "--env", "C=from-cli",
                            env={"A": "from-process", "D": "from-process"})
    assert ("A=from-env-table B=from-task C=from-cli D=from-process NUM=1.5 FLAG=true "
            "TASK=show") in result.stdout


def test_zr_variables_in_task_environment(zr_project):
    (zr_project.path / "deep").mkdir()
    zr_project.write('[tasks.v]\ncmd = "echo $ZR_PROJECT_ROOT $ZR_INVOCATION_DIR"\n')
    result = zr_project.run("run", "v", cwd=zr_project.path / "deep")
    root = str(zr_project.path)
    assert f"{root} {root}/deep" in result.stdout


def test_deps_run_in_parallel(zr_project):
    # Each task waits for the other's marker: only a parallel run finishes.
    zr_project.write("""
        [tasks.left]
        cmd = "touch left; i=0; while [ ! -e right ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; test -e right"
        [tasks.right]
        cmd = "touch right; i=0; while [ ! -e left ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; test -e left"
        [tasks.both]
        deps = ["left", "right"]
    """)
    assert zr_project.run("run", "both", "-j", "2").returncode == 0
    (zr_project.path / "left").unlink()
    (zr_project.path / "right").unlink()
    serial = zr_project.run("run", "both", "-j", "1")
    assert serial.returncode == 1  # with one job they cannot meet


def test_deps_serial_run_in_declared_order(zr_project):
    zr_project.write("""
        [tasks.a]
        cmd = "sleep 0.2; echo a >> order"
        [tasks.b]
        cmd = "echo b >> order"
        [tasks.c]
        cmd = "echo c >> order"
        [tasks.all]
        deps_serial = ["a", "b", "c"]
        cmd = "cat order"
    """)
    result = zr_project.run("run", "all", "-j", "4")
    assert result.returncode == 0
    assert (zr_project.path / "order").read_text().split() == ["a", "b", "c"]


def test_tasks_named_together_run_in_order_each_once(zr_project):
    zr_project.write("""
        [tasks.setup]
        cmd = "echo setup >> log"
        [tasks.first]
        deps = ["setup"]
        cmd = "sleep 0.2; echo first >> log"
        [tasks.second]
        deps = ["setup"]
        cmd = "echo second >> log"
    """)
    assert zr_project.run("run", "first", "second", "-j", "4").returncode == 0
    assert (zr_project.path / "log").read_text().split() == ["setup", "first", "second"]


def test_retry_with_backoff_then_success(zr_project):
    zr_project.write("""
        [tasks.flaky]
        retry = { count = 3, delay = "10ms", backoff = 2.0 }
        cmd = "echo try >> tries; [ $(wc -l < tries) -ge 3 ]"
    """)
    result = zr_project.run("run", "flaky")
    assert result.returncode == 0, result
    assert (zr_project.path / "tries").read_text().count("try") == 3
    assert "retrying (1/3)" in result.stderr and "retrying (2/3)" in result.stderr


def test_retry_exhausted_reports_last_exit(zr_project):
    zr_project.write('[tasks.bad]\nretry = 2\ncmd = "echo x >> tries; exit 5"\n')
    result = zr_project.run("run", "bad")
    assert result.returncode == 1
    assert (zr_project.path / "tries").read_text().count("x") == 3
    assert "bad failed (exit 5)" in result.stderr


def test_allow_failure_lets_dependents_run(zr_project):
    zr_project.write("""
        [tasks.optional]
        allow_failure = true
        cmd = "exit 3"
        [tasks.main]
        deps = ["optional"]
        cmd = "echo main ran"
    """)
    result = zr_project.run("run", "main")
    assert result.returncode == 0
    assert "main ran" in result.stdout
    assert "optional failed (exit 3) [allowed to fail]" in result.stderr


def test_keep_going_runs_independent_branches(zr_project):
    zr_project.write("""
        [tasks.bad]
        cmd = "exit 1"
        [tasks.slow_ok]
        cmd = "sleep 0.3; echo independent done"
        [tasks.after_bad]
        deps = ["bad"]
        cmd = "echo never"
        [tasks.after_ok]
        deps = ["slow_ok"]
        cmd = "echo after ok"
        [tasks.all]
        deps = ["after_bad", "after_ok"]
    """)
    stop = zr_project.run("run", "all", "-j", "2")
    assert stop.returncode == 1
    assert "after ok" not in stop.stdout  # no new task starts after a failure
    assert "independent done" in stop.stdout  # but running ones finish
    going = zr_project.run("run", "all", "-j", "2", "--keep-going")
    assert going.returncode == 1
    assert "after ok" in going.stdout and "never" not in going.stdout


def test_max_concurrent_limits_instances(zr_project):
    # Three tasks sharing a concurrency group would overlap without the limit.
    zr_project.write("""
        [tasks."t[a]"]
        max_concurrent = 1
        cmd = "mkdir lock || exit 9; sleep 0.2; rmdir lock"
        [tasks."t[b]"]
        max_concurrent = 1
        cmd = "mkdir lock || exit 9; sleep 0.2; rmdir lock"
        [tasks.all]
        deps = ["t[a]", "t[b]"]
    """)
    result = zr_project.run("run", "all", "-j", "4")
    assert result.returncode == 2  # brackets are reserved in task names
    assert "not allowed" in result.stderr


def test_dry_run_prints_every_command_in_order_and_runs_nothing(zr_project):
    zr_project.write("""
        [tasks.gen]
        cmd = "touch generated"
        [tasks.build]
        deps = ["gen"]
        cmd = ["touch built", "echo done"]
    """)
    result = zr_project.run("--dry-run", "run", "build")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "[1/2] gen", "  $ touch generated", "[2/2] build", "  $ touch built", "  $ echo done"]
    assert not (zr_project.path / "generated").exists()


def test_json_format_is_machine_readable(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo hi"\n[tasks.b]\ndeps=["a"]\ncmd = "exit 2"\n')
    result = zr_project.run("run", "b", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["exit_code"] == 1
    statuses = {t["task"]: (t["status"], t["exit_code"]) for t in payload["tasks"]}
    assert statuses == {"a": ("success", 0), "b": ("failed", 2)}
    assert "a | hi" in result.stderr  # task output moves to stderr


def test_quiet_silences_zr_lines_not_output_or_errors(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo out"\n[tasks.b]\ncmd = "exit 4"\n')
    ok = zr_project.run("-q", "run", "a")
    assert ok.stdout == "a | out\n" and ok.stderr == ""
    bad = zr_project.run("run", "b", "--quiet")
    assert "b failed (exit 4)" in bad.stderr and "tasks in" not in bad.stderr


def test_verbose_shows_commands(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo out"\n')
    result = zr_project.run("-v", "run", "a")
    assert "a $ echo out" in result.stderr


def test_color_on_request_and_off_with_no_color(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo out"\n')
    colored = zr_project.run("run", "a", env={"FORCE_COLOR": "1", "NO_COLOR": ""})
    assert "\x1b[" in colored.stdout
    plain = zr_project.run("run", "a", "--no-color", env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.output


def test_jobs_usage_errors(zr_project):
    zr_project.write('[tasks.a]\ncmd = "true"\n')
    for value in ("0", "x", "-3"):
        result = zr_project.run("run", "a", "-j", value)
        assert result.returncode == 2, value
        assert "Traceback" not in result.stderr


def test_unknown_task_with_did_you_mean(zr_project):
    zr_project.write('[tasks.build]\ncmd = "true"\n')
    result = zr_project.run("run", "biuld")
    assert result.returncode == 2
    assert "no task named 'biuld' (did you mean 'build'?)" in result.stderr


def test_config_option_and_missing_config(zr_project, tmp_path):
    other = tmp_path / "elsewhere.toml"
    other.write_text('[tasks.x]\ncmd = "echo from elsewhere"\n')
    result = zr_project.run("--config", str(other), "run", "x")
    assert "from elsewhere" in result.stdout
    missing = zr_project.run("run", "x")
    assert missing.returncode == 2
    assert "no zr.toml found" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_task_killed_by_signal(zr_project):
    zr_project.write('[tasks.k]\ncmd = "kill -9 $$"\n')
    result = zr_project.run("run", "k")
    assert result.returncode == 1
    assert "killed by SIGKILL" in result.stderr


def test_huge_output_is_streamed_intact(zr_project):
    zr_project.write('[tasks.big]\ncmd = "seq 1 200000"\n')
    result = zr_project.run("run", "big", "-q")
    lines = result.stdout.splitlines()
    assert len(lines) == 200000
    assert lines[0] == "big | 1" and lines[-1] == "big | 200000"


def test_output_group_mode_keeps_each_task_together(zr_project):
    zr_project.write("""
        [tasks.a]
        cmd = "echo a1; sleep 0.2; echo a2"
        [tasks.b]
        cmd = "sleep 0.1; echo b1"
        [tasks.all]
        deps = ["a", "b"]
    """)
    result = zr_project.run("run", "all", "--output", "group", "-j", "2")
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert lines == ["b | b1", "a | a1", "a | a2"]


def test_output_errors_only_shows_failed_tasks(zr_project):
    zr_project.write("""
        [tasks.good]
        cmd = "echo fine"
        [tasks.bad]
        cmd = "echo broken; exit 1"
        [tasks.all]
        deps = ["good", "bad"]
    """)
    result = zr_project.run("run", "all", "--output", "errors-only", "--keep-going")
    assert "fine" not in result.stdout
    assert result.stdout == "bad  | broken\n"  # padded to the widest name


def test_log_prefix_none_lets_tasks_write_directly(zr_project):
    zr_project.write("""
        [tasks.a]
        cmd = "echo plain; echo err >&2"
        [tasks.cached_json]
        cmd = "echo out"
    """)
    result = zr_project.run("run", "a", "--log-prefix", "none")
    assert result.stdout == "plain\n"
    assert result.stderr.startswith("err\n")
    zr_project.write('[settings]\nlog_prefix = "none"\n[tasks.a]\ncmd = "echo plain"\n')
    assert zr_project.run("run", "a", "-q").stdout == "plain\n"
    assert zr_project.run("run", "a", "-q", "--log-prefix", "name").stdout == "a | plain\n"
    as_json = zr_project.run("run", "a", "--format", "json")  # stdout stays JSON
    assert as_json.stdout.startswith("{") and "plain" in as_json.stderr


def test_short_options_attached_and_bundled(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo $X"\n')
    result = zr_project.run("-vk", "run", "a", "-eX=1", "-j2")
    assert result.stdout == "a | 1\n"
    assert "a $ echo $X" in result.stderr
