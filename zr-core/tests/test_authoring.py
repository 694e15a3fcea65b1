"""Task authoring: arguments, parameters, shells, scripts, cleanup, guards,
includes, and the run-shaping flags, with the real `zr`."""

import os
import signal
import time

from zr.testing import process_gone as _gone
from zr.testing import wait_for_file as _wait_for


def test_args_after_double_dash_reach_the_task_intact(zr_project):
    zr_project.write("""
        [tasks.show]
        cmd = "printf '<%s>' first"
        [tasks.placed]
        cmd = ["echo before", "printf '[%s]' ${args} end"]
    """)
    result = zr_project.run("run", "show", "--", "a b", "it's", '"q"', "$HOME")
    assert "<first><a b><it's><\"q\"><$HOME>" in result.stdout
    placed = zr_project.run("placed", "--", "x y")
    assert "[x y][end]" in placed.stdout


def test_args_go_only_to_the_named_task_not_its_dependencies(zr_project):
    zr_project.write("""
        [tasks.dep]
        cmd = "echo dep"
        [tasks.main]
        deps = ["dep"]
        cmd = "echo main"
    """)
    result = zr_project.run("run", "main", "--", "EXTRA")
    assert "dep | dep\n" in result.stdout.replace("dep  |", "dep |")
    assert "main EXTRA" in result.stdout


def test_parameters_defaults_choices_and_required(zr_project):
    zr_project.write("""
        [tasks.deploy]
        params = { env = "staging", region = { default = "eu", choices = ["eu", "us"] }, version = { description = "tag" } }
        cmd = "echo deploy ${params.version} to ${params.env} in ${params.region}"
    """)
    ok = zr_project.run("run", "deploy", "version=1.2", "region=us")
    assert "deploy 1.2 to staging in us" in ok.stdout
    missing = zr_project.run("run", "deploy")
    assert missing.returncode == 2
    assert "needs parameter 'version'" in missing.stderr
    assert "region=eu|us (default 'eu')" in missing.stderr
    bad = zr_project.run("run", "deploy", "version=1", "region=asia")
    assert bad.returncode == 2 and "must be one of eu, us, got 'asia'" in bad.stderr
    unknown = zr_project.run("run", "deploy", "version=1", "regoin=us")
    assert unknown.returncode == 2 and "did you mean 'region'" in unknown.stderr


def test_a_task_runs_once_per_name_and_parameters(zr_project):
    zr_project.write("""
        [tasks.greet]
        params = { who = "world" }
        cmd = "echo hello ${params.who} >> log"
    """)
    result = zr_project.run("run", "greet", "greet", "who=ann", "greet", "who=ann", "greet")
    assert result.returncode == 0
    assert (zr_project.path / "log").read_text().splitlines() == ["hello world", "hello ann"]


def test_settings_shell_and_task_shell(zr_project):
    zr_project.write("""
        [settings]
        shell = ["bash", "-euo", "pipefail", "-c"]
        [tasks.pipe]
        cmd = "false | true; echo not reached"
        [tasks.plain]
        shell = "sh"
        cmd = "false | true; echo reached"
    """)
    pipe = zr_project.run("run", "pipe")
    assert pipe.returncode == 1 and "not reached" not in pipe.stdout
    plain = zr_project.run("run", "plain")
    assert plain.returncode == 0 and "reached" in plain.stdout


def test_shebang_cmd_runs_as_a_script_with_args(zr_project):
    zr_project.write('''
        [tasks.py]
        cmd = """#!/usr/bin/env python3
        import sys
        print("python says", sys.argv[1:])
        """
    ''')
    result = zr_project.run("run", "py", "--", "x y")
    assert result.returncode == 0, result
    assert "python says ['x y']" in result.stdout


def test_finally_runs_after_success_and_failure_without_hiding_it(zr_project):
    zr_project.write("""
        [tasks.good]
        cmd = "echo work"
        finally = "echo cleanup > cleaned"
        [tasks.bad]
        cmd = "exit 42"
        finally = "echo cleanup-bad; exit 3"
        [tasks.cleanup_fails]
        cmd = "echo fine"
        finally = "exit 4"
    """)
    good = zr_project.run("run", "good")
    assert good.returncode == 0 and (zr_project.path / "cleaned").exists()
    bad = zr_project.run("run", "bad")
    assert bad.returncode == 1
    assert "cleanup-bad" in bad.stdout
    assert "bad failed (exit 42; finally failed (exit 3))" in bad.stderr
    failing_cleanup = zr_project.run("run", "cleanup_fails")
    assert failing_cleanup.returncode == 1
    assert "cleanup_fails: finally failed (exit 4)" in failing_cleanup.stderr


def test_finally_runs_after_a_timeout(zr_project):
    zr_project.write("""
        [settings]
        kill_grace = "200ms"
        [tasks.slow]
        timeout = "300ms"
        cmd = "sleep 30"
        finally = "touch cleaned"
    """)
    result = zr_project.run("run", "slow")
    assert result.returncode == 1 and "timed out" in result.stderr
    assert (zr_project.path / "cleaned").exists()


def test_finally_runs_after_ctrl_c(zr_project):
    zr_project.write("""
        [tasks.server]
        cmd = "echo $$ > pid; sleep 60"
        finally = "touch cleaned"
    """)
    proc = zr_project.popen("run", "server")
    pid = int(_wait_for(zr_project.path / "pid")[0])
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert (zr_project.path / "cleaned").exists()
    assert _gone(pid)


def test_require_guard_fails_loudly_without_the_expression_plugin(zr_project):
    zr_project.write("""
        [tasks.deploy]
        require = [{ if = "env.DEPLOY_TOKEN", message = "set DEPLOY_TOKEN first" }]
        cmd = "echo deploying"
    """)
    env = {"ZR_DISABLE_PLUGINS": "expr"}
    refused = zr_project.run("run", "deploy", env=env)
    assert refused.returncode == 1
    assert "deploy failed (set DEPLOY_TOKEN first)" in refused.stderr
    assert "deploying" not in refused.stdout
    allowed = zr_project.run("run", "deploy", env={**env, "DEPLOY_TOKEN": "t"})
    assert allowed.returncode == 0 and "deploying" in allowed.stdout


def test_no_deps_and_parallel(zr_project):
    zr_project.write("""
        [tasks.dep]
        cmd = "echo dep ran"
        [tasks.a]
        deps = ["dep"]
        cmd = "touch a; i=0; while [ ! -e b ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; test -e b"
        [tasks.b]
        cmd = "touch b; i=0; while [ ! -e a ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; test -e a"
    """)
    only = zr_project.run("run", "--no-deps", "--parallel", "a", "b", "-j", "2")
    assert only.returncode == 0, only
    assert "dep ran" not in only.stdout


def test_force_runs_a_task_a_plugin_would_skip(zr_project):
    zr_project.write("""
        [tasks.maybe]
        condition = "false"
        cmd = "echo forced run"
    """)
    assert "forced run" not in zr_project.run("run", "maybe").stdout
    assert "forced run" in zr_project.run("run", "maybe", "--force").stdout


def test_includes_namespace_cwd_and_dependencies(zr_project):
    zr_project.file("docs/zr.toml", """
        [tasks.build]
        deps = ["gen", "prep"]
        cmd = "echo building in $(basename $(pwd))"
        [tasks.gen]
        cmd = "echo generating"
    """)
    zr_project.write("""
        includes = { docs = "docs/zr.toml", extra = { path = "extra/zr.toml", optional = true } }
        [tasks.prep]
        cmd = "echo prep at root"
        [tasks.all]
        deps = ["docs:build"]
        cmd = "echo all"
    """)
    result = zr_project.run("run", "all")
    assert result.returncode == 0, result
    assert "building in docs" in result.stdout
    assert "prep at root" in result.stdout
    assert zr_project.run("list").stdout.split() == ["all", "docs:build", "docs:gen", "prep"]
    assert zr_project.run("run", "docs:gen").returncode == 0


def test_include_errors_name_the_file(zr_project):
    zr_project.file("a/zr.toml", 'includes = { back = "../zr.toml" }\n')
    zr_project.write('includes = { a = "a/zr.toml" }\n[tasks.x]\ncmd = "true"\n')
    cycle = zr_project.run("list")
    assert cycle.returncode == 2
    assert "include cycle: zr.toml -> a/zr.toml -> zr.toml" in cycle.stderr
    zr_project.write('includes = { b = "b/zr.toml" }\n')
    missing = zr_project.run("list")
    assert "zr.toml:1: includes.b: included file 'b/zr.toml' does not exist" in missing.stderr
    zr_project.file("c/zr.toml", '[tasks.t]\ncmd = "true"\nretry = "x"\n')
    zr_project.write('includes = { c = "c/zr.toml" }\n')
    bad = zr_project.run("list")
    assert bad.stderr.startswith("zr: error: c/zr.toml:3: tasks.t.retry:")
    zr_project.file("d/zr.toml", '[env]\nX = "1"\n')
    zr_project.write('includes = { d = "d/zr.toml" }\n')
    assert "may only define [tasks] and includes" in zr_project.run("list").stderr


def test_a_new_optional_include_is_noticed(zr_project):
    zr_project.write('includes = { opt = { path = "opt/zr.toml", optional = true } }\n'
                     '[tasks.x]\ncmd = "true"\n')
    assert zr_project.run("list").stdout.split() == ["x"]
    zr_project.file("opt/zr.toml", '[tasks.late]\ncmd = "true"\n')
    assert zr_project.run("list").stdout.split() == ["opt:late", "x"]


def test_interactive_task_reads_the_terminal_and_writes_unprefixed(zr_project):
    zr_project.write("""
        [tasks.ask]
        interactive = true
        cmd = "read line; echo got $line"
        [tasks.batch]
        cmd = "read line; echo got $line"
    """)
    asked = zr_project.run("run", "ask", input="hello\n")
    assert asked.returncode == 0, asked
    assert asked.stdout == "got hello\n"
    batch = zr_project.run("run", "batch", input="hello\n")  # stdin is /dev/null
    assert batch.returncode == 1 and "got" not in batch.stdout


def test_interactive_task_runs_with_nothing_beside_it(zr_project):
    zr_project.write("""
        [tasks.busy]
        cmd = "touch busy.running; sleep 0.3; rm busy.running"
        [tasks.ask]
        interactive = true
        cmd = "test ! -e busy.running && echo alone"
        [tasks.after]
        cmd = "test ! -e ask.running"
        [tasks.all]
        deps = ["busy", "ask"]
    """)
    result = zr_project.run("run", "all", "-j", "4")
    assert result.returncode == 0, result
    assert "alone" in result.stdout


def test_ctrl_c_reaches_an_interactive_task_once(zr_project):
    zr_project.write("""
        [tasks.repl]
        interactive = true
        cmd = "trap 'echo interrupted >> signals; exit 130' INT; echo $$ > pid; while :; do sleep 0.05; done"
    """)
    proc = zr_project.popen("run", "repl")
    pid = int(_wait_for(zr_project.path / "pid")[0])
    os.killpg(proc.pid, signal.SIGINT)  # the terminal signals its whole foreground group
    proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert (zr_project.path / "signals").read_text() == "interrupted\n"
    assert _gone(pid)
