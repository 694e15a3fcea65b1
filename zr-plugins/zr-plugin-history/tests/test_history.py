"""Run history as a user meets it: real `zr` runs, then `zr history`."""

from __future__ import annotations

import json
import subprocess

from zr.testing import zr_executable

PIPELINE = """
    [tasks.lint]
    cmd = "echo linting"

    [tasks.build]
    cmd = "echo building"
    deps = ["lint"]

    [tasks.flaky]
    cmd = "test -f pass-marker"
    """


def history_json(project, *args) -> dict:
    result = project.run("history", *args, "--format", "json")
    assert result.returncode == 0, result.output
    return json.loads(result.stdout)


def test_runs_are_listed_newest_first_with_exit_code_targets_and_tasks(zr_project):
    zr_project.write(PIPELINE)
    assert zr_project.run("run", "build").returncode == 0
    assert zr_project.run("run", "flaky").returncode == 1
    runs = history_json(zr_project)["runs"]
    assert [(r["targets"], r["exit_code"]) for r in runs] == [(["flaky"], 1), (["build"], 0)]
    assert [(t["name"], t["status"], t["exit_code"], t["attempts"], t["cached"])
            for t in runs[1]["tasks"]] == [("lint", "success", 0, 1, False),
                                          ("build", "success", 0, 1, False)]
    assert runs[0]["tasks"][0]["status"] == "failed"
    assert runs[0]["id"] > runs[1]["id"]
    text = zr_project.run("history")
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert lines[0].split()[:5] == ["run", "started", "took", "exit", "targets"]
    assert "failed: flaky" in lines[1] and "build" in lines[2]


def test_task_history_has_success_rate_and_percentiles(zr_project):
    zr_project.write(PIPELINE)
    for passing in (False, True, True, False, True):
        marker = zr_project.path / "pass-marker"
        marker.touch() if passing else marker.unlink(missing_ok=True)
        zr_project.run("run", "flaky")
    report = history_json(zr_project, "flaky")
    assert report["task"] == "flaky"
    assert report["runs"] == 5
    assert report["success_rate"] == 0.6
    durations = sorted(e["duration"] for e in report["history"])
    assert report["p50"] == durations[2] and report["p95"] == durations[4]
    assert [e["status"] for e in report["history"]] == [
        "success", "failed", "success", "success", "failed"]
    text = zr_project.run("history", "flaky", "--limit", "2")
    assert text.stdout.splitlines()[0].startswith("flaky: 2 runs, 50% succeeded, p50 ")
    assert len(text.stdout.splitlines()) == 4  # summary, header, two runs


def test_concurrent_zr_processes_keep_every_row(zr_project):
    tasks = "".join(f'[tasks.t{i}]\ncmd = "sleep 0.05"\n\n' for i in range(12))
    zr_project.write(tasks + '[tasks.all]\ncmd = "true"\ndeps = [%s]\n'
                     % ", ".join(f'"t{i}"' for i in range(12)))
    processes = [subprocess.Popen([zr_executable(), "run", "all", "-j", "4"],
                                  cwd=zr_project.path, env=zr_project.env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(6)]
    errors = [p.communicate(timeout=60)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * 6, errors
    assert not any("warning: run not recorded" in e for e in errors), errors
    runs = history_json(zr_project, "--limit", "100")["runs"]
    assert len(runs) == 6
    assert all(len(r["tasks"]) == 13 for r in runs)
    assert history_json(zr_project, "t7")["runs"] == 6


def test_a_corrupt_history_file_never_touches_a_run_and_is_reported_when_read(zr_project):
    zr_project.write(PIPELINE)
    state = zr_project.home / "state"
    state.mkdir(parents=True)
    (state / "history.sqlite3").write_bytes(b"this is not a database" * 100)
    ok = zr_project.run("run", "build")
    assert (ok.returncode, ok.stderr.count("warning")) == (0, 0)  # runs only journal
    failed = zr_project.run("run", "flaky")
    assert failed.returncode == 1
    assert "flaky failed (exit 1)" in failed.stderr
    shown = zr_project.run("history")
    assert shown.returncode == 2
    assert "history.sqlite3" in shown.stderr and "zr history clear --all" in shown.stderr
    assert "Traceback" not in shown.stderr
    assert zr_project.run("history", "clear", "--all").returncode == 0
    assert zr_project.run("run", "build").returncode == 0
    assert len(history_json(zr_project)["runs"]) == 1


def test_a_locked_database_neither_slows_a_run_nor_loses_it(zr_project):
    import sqlite3

    zr_project.write(PIPELINE)
    assert zr_project.run("run", "lint").returncode == 0
    assert len(history_json(zr_project)["runs"]) == 1  # creates the database
    holder = sqlite3.connect(zr_project.home / "state" / "history.sqlite3",
                             isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another process stuck mid-write
        result = zr_project.run("run", "build")
        assert result.returncode == 0
        assert "building" in result.stdout and "warning" not in result.stderr
        locked = zr_project.run("history")  # reading must wait, then says why
        assert locked.returncode == 2 and "database is locked" in locked.stderr
    finally:
        holder.close()
    assert len(history_json(zr_project)["runs"]) == 2  # the journaled run arrives


def test_an_unwritable_state_directory_warns_and_the_run_succeeds(zr_project):
    zr_project.write(PIPELINE)
    zr_project.home.mkdir(parents=True, exist_ok=True)
    (zr_project.home / "state").write_text("a file where the state directory should be")
    result = zr_project.run("run", "build")
    assert result.returncode == 0
    assert "building" in result.stdout
    assert result.stderr.count("warning: run not recorded in history") == 1
    assert "Traceback" not in result.stderr


def test_the_git_commit_and_profile_are_recorded(zr_project):
    zr_project.write(PIPELINE + """
    [profiles.ci]
    env = { CI = "1" }
    """)
    git = ["git", "-c", "user.email=dev@example.com", "-c", "user.name=dev"]
    subprocess.run(["git", "init", "-q"], cwd=zr_project.path, check=True)
    subprocess.run(["git", "add", "."], cwd=zr_project.path, check=True)
    subprocess.run(git + ["commit", "-qm", "first"], cwd=zr_project.path, check=True)
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=zr_project.path, check=True,
                          capture_output=True, text=True).stdout.strip()
    zr_project.run("run", "lint", "--profile", "ci")
    run = history_json(zr_project)["runs"][0]
    assert (run["git_commit"], run["profile"]) == (head, "ci")


def test_clear_removes_only_this_projects_runs(zr_project, tmp_path):
    zr_project.write(PIPELINE)
    other = tmp_path / "other"
    other.mkdir()
    (other / "zr.toml").write_text('[tasks.hello]\ncmd = "echo hi"\n')
    zr_project.run("run", "lint")
    zr_project.run("run", "hello", cwd=other)
    cleared = zr_project.run("history", "clear")
    assert cleared.stdout.strip() == "cleared 1 run of this project"
    assert history_json(zr_project)["runs"] == []
    assert len(json.loads(zr_project.run("history", "--format", "json", cwd=other)
                          .stdout)["runs"]) == 1


def test_last_duration_feeds_conditions(zr_project):
    zr_project.write("""
        [tasks.slow]
        cmd = "sleep 0.3"

        [tasks.report]
        cmd = "echo slow took a while"
        condition = "history.last_duration('slow') > 0.2"
        """)
    first = zr_project.run("run", "report")
    assert first.returncode == 0, first.output
    assert "report skipped (condition is false" in first.stderr
    assert zr_project.run("run", "slow").returncode == 0
    second = zr_project.run("run", "report")
    assert "slow took a while" in second.stdout, second.output


def test_an_unknown_task_is_an_error_with_a_suggestion(zr_project):
    zr_project.write(PIPELINE)
    result = zr_project.run("history", "biuld")
    assert result.returncode == 2
    assert "unknown task 'biuld' (did you mean 'build'?)" in result.stderr
