"""`zr run --executor dask://...` against a real cluster on 127.0.0.1: a
scheduler, two workers in their own clones (w1 `zr worker`, w2 a stock
`dask worker` with the plugin's preload), nginx as the remote cache (see
conftest.py)."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from zr.testing import process_gone, wait_for_file

from .conftest import git

pytestmark = pytest.mark.services


def wait_for_line(path, timeout=30.0) -> list:
    """The words of the first line of ``path`` once one is written."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            text = path.read_text()
            if text.endswith("\n"):
                return text.split("\n")[0].split()
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written within {timeout}s")


def test_one_task_runs_on_a_worker_and_its_output_arrives(dask_cluster):
    project = dask_cluster.checkout()
    result = project.run("run", "t00")
    assert result.returncode == 0, result.output
    assert (project.path / "out" / "t00.txt").read_text().strip() in ("w1", "w2")


def test_without_j_as_many_tasks_run_at_once_as_the_cluster_has_threads(dask_cluster):
    """Two single-thread workers: the run's default -j is 2, whatever this
    machine's CPU count; -j given by the user wins and nothing is asked."""
    dask_cluster.ensure_workers()
    project = dask_cluster.checkout()
    result = project.run("run", "-v", "t01", "t02")
    assert result.returncode == 0, result.output
    assert "at most 2 tasks at once (a plugin's default for this run)" in result.stderr
    workers = {(project.path / "out" / f"t0{i}.txt").read_text().split()[0] for i in (1, 2)}
    assert workers <= {"w1", "w2"}
    given = project.run("run", "-v", "-j", "1", "t00")
    assert given.returncode == 0, given.output
    assert "tasks at once" not in given.output


def test_a_50_task_graph_runs_across_both_workers(dask_cluster):
    """Both kinds of worker ran tasks (w1 `zr worker`, w2 `dask worker
    --preload zr_plugin_dask.preload`), each in its own clone, and every
    task read its dependency's output restored on whichever worker ran it."""
    project = dask_cluster.checkout()
    result = project.run("run", "graph", "-j", "4", "--format", "json")
    assert result.returncode == 0, result.output
    statuses = {task["task"]: task["status"] for task in json.loads(result.stdout)["tasks"]}
    assert len(statuses) == 51 and set(statuses.values()) == {"success"}
    ran_on = {}
    for i in range(50):
        lines = (project.path / "out" / f"t{i:02d}.txt").read_text().split()
        ran_on[i] = lines[0]
        if i:  # the worker had its dependency's output, restored from the cache
            parent = (project.path / "out" / f"t{(i - 1) // 2:02d}.txt").read_text().split()
            assert lines[1:] == parent, f"t{i:02d}"
    assert set(ran_on.values()) == {"w1", "w2"}


def test_output_streams_back_prefixed_and_a_failure_fails_the_run(dask_cluster):
    project = dask_cluster.checkout()
    result = project.run("run", "fail")
    assert result.returncode == 1, result.output
    assert "fail | about to fail" in result.stdout
    assert "boom" in result.stderr
    assert "fail" in result.stderr and "3" in result.stderr


def test_a_timeout_kills_the_remote_process(dask_cluster):
    project = dask_cluster.checkout()
    pid_file = dask_cluster.shared / "slow.pid"
    pid_file.unlink(missing_ok=True)
    result = project.run("run", "slow", "--format", "json")
    assert result.returncode == 1, result.output
    (task,) = json.loads(result.stdout)["tasks"]
    assert task["status"] == "timed_out", task
    _, pid = wait_for_line(pid_file)
    deadline = time.monotonic() + 30
    while not process_gone(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(int(pid))


def test_ctrl_c_leaves_no_remote_process(dask_cluster):
    project = dask_cluster.checkout()
    pid_file = dask_cluster.shared / "wait.pid"
    pid_file.unlink(missing_ok=True)
    zr = project.popen("run", "wait")
    _, pid = wait_for_line(pid_file)
    os.kill(zr.pid, signal.SIGINT)
    out, err = zr.communicate(timeout=30)
    assert zr.returncode == 130, out + err
    deadline = time.monotonic() + 30
    while not process_gone(int(pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(int(pid)), "the task's process outlived Ctrl-C"


def test_resources_route_a_task_to_the_worker_that_has_them(dask_cluster):
    project = dask_cluster.checkout()
    for _ in range(2):
        result = project.run("run", "gpu", "--force" if _ else "gpu")
        assert result.returncode == 0, result.output
        assert (project.path / "out" / "gpu.txt").read_text().strip() == "w2"


def test_a_commit_the_workers_do_not_have_is_refused(dask_cluster):
    project = dask_cluster.checkout()
    (project.path / "NEW").write_text("x\n")
    git("add", "NEW", cwd=project.path)
    git("commit", "-q", "-m", "not on the workers", cwd=project.path)
    commit = git("rev-parse", "HEAD", cwd=project.path)
    result = project.run("run", "t00")
    assert result.returncode == 1, result.output
    assert f"this run is at commit {commit[:12]}" in result.stderr
    assert f"at commit {dask_cluster.commit[:12]}" in result.stderr
    assert not (project.path / "out" / "t00.txt").exists()


def test_without_a_remote_cache_the_executor_refuses_to_start(zr_project):
    zr_project.write("""
        [tasks.hello]
        cmd = "echo hello"
    """)
    git("init", "-q", cwd=zr_project.path)
    result = zr_project.run("run", "hello", "--executor", "dask://127.0.0.1:9")
    assert result.returncode == 2, result.output
    assert "needs a remote cache" in result.stderr
    assert "hello" not in result.stdout


def test_a_worker_killed_mid_task_is_replaced_and_the_run_completes(dask_cluster):
    project = dask_cluster.checkout()
    pids = dask_cluster.shared / "survivor.pids"
    pids.unlink(missing_ok=True)
    zr = project.popen("run", "survivor", "--format", "json")
    first_worker, first_pid = wait_for_line(pids)
    dask_cluster.workers[first_worker].kill()
    out, err = zr.communicate(timeout=60)
    assert zr.returncode == 0, out + err
    (task,) = json.loads(out)["tasks"]
    assert task["status"] == "success"
    assert task["attempts"] == 2, task  # the lost one counts; no retry was configured
    assert task["extra"]["lost_workers"] == [first_worker]
    other = {"w1": "w2", "w2": "w1"}[first_worker]
    assert (project.path / "out" / "survivor.txt").read_text().strip() == other
    assert (f"survivor | zr: attempt 1 of 'survivor' was lost with worker {first_worker}; "
            f"retrying on worker {other} (attempt 2; a lost worker does not spend the task's "
            f"retries)") in err
    history = project.run("history", "survivor", "--format", "json")
    assert history.returncode == 0, history.output
    (entry,) = json.loads(history.stdout)["history"]
    assert (entry["status"], entry["attempts"]) == ("success", 2), entry
    deadline = time.monotonic() + 30
    while not process_gone(int(first_pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(int(first_pid)), "the dead worker's task process lived on"


def test_the_executor_table_sends_tasks_and_executor_local_keeps_them_here(dask_cluster):
    project = dask_cluster.checkout()
    del project.env["ZR_EXECUTOR"]
    address = dask_cluster.scheduler.address
    with open(project.path / "zr.toml", "a") as toml:  # not committed: HEAD is unchanged
        toml.write(f'\n[executor]\ntype = "dask"\naddress = "{address}"\n')
    result = project.run("run", "t00")
    assert result.returncode == 0, result.output
    assert (project.path / "out" / "t00.txt").read_text().strip() in ("w1", "w2")
    here = project.run("run", "t00", "--executor", "local")
    assert here.returncode == 0, here.output
    assert (project.path / "out" / "t00.txt").read_text().strip() == ""


def test_an_executor_zr_does_not_know_is_a_usage_error(dask_cluster):
    project = dask_cluster.checkout()
    result = project.run("run", "t00", "--executor", "ray://127.0.0.1:1")
    assert result.returncode == 2, result.output
    assert "expected dask://HOST:PORT" in result.stderr
    assert "Traceback" not in result.output


def test_a_scheduler_that_does_not_answer_fails_the_tasks_saying_so(dask_cluster):
    from tests.servers.process import free_port

    project = dask_cluster.checkout()
    result = project.run("run", "t00", "--executor", f"dask://127.0.0.1:{free_port()}")
    assert result.returncode == 1, result.output
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:" in result.stderr
    assert "Traceback" not in result.output


def test_a_cached_task_runs_once_on_the_cluster_and_is_a_hit_in_another_checkout(dask_cluster):
    runs = dask_cluster.shared / "cached.runs"
    runs.unlink(missing_ok=True)
    first = dask_cluster.checkout()
    result = first.run("run", "cached")
    assert result.returncode == 0, result.output
    worker = runs.read_text().strip()
    assert worker in ("w1", "w2")
    assert f"cached | built on {worker}" in result.stdout
    assert (first.path / "out" / "cached.txt").read_text() == f"built on {worker}\n"

    second = dask_cluster.checkout()
    hit = second.run("run", "cached", "--format", "json")
    assert hit.returncode == 0, hit.output
    (task,) = json.loads(hit.stdout)["tasks"]
    assert task["status"] == "cached", task
    assert task["extra"]["cache_source"] == "remote"
    assert runs.read_text().split() == [worker], "the hit was not sent to the cluster"
    assert (second.path / "out" / "cached.txt").read_text() == f"built on {worker}\n"


def test_a_task_only_this_machine_can_run_stays_here(dask_cluster):
    project = dask_cluster.checkout()
    with open(project.path / "zr.toml", "a") as toml:  # not committed: HEAD is unchanged
        toml.write('\n[tasks.limited]\ncmd = "mkdir -p out && echo \\"[$ZR_WORKER]\\" > '
                   'out/limited.txt"\nmax_memory = "200MB"\n')
    result = project.run("run", "limited", "-v")
    assert result.returncode == 0, result.output
    assert (project.path / "out" / "limited.txt").read_text().strip() == "[]"
    assert "limited: runs on this machine" in result.stderr


def test_a_dask_worker_refuses_a_run_at_a_commit_its_checkout_is_not_at(dask_cluster):
    """w2 is a stock `dask worker` with the preload: it checks the commit
    as `zr worker` does (the gpu task runs only there)."""
    project = dask_cluster.checkout()
    (project.path / "NEW").write_text("x\n")
    git("add", "NEW", cwd=project.path)
    git("commit", "-q", "-m", "not on the workers", cwd=project.path)
    commit = git("rev-parse", "HEAD", cwd=project.path)
    result = project.run("run", "gpu")
    assert result.returncode == 1, result.output
    worker_checkout = dask_cluster.workers["w2"].checkout
    assert (f"worker w2 (tcp://127.0.0.1:" in result.stderr
            and f"serves {worker_checkout} at commit {dask_cluster.commit[:12]}, but this run "
                f"is at commit {commit[:12]}: check out {commit[:12]} there") in result.stderr
    assert not (project.path / "out" / "gpu.txt").exists()


def test_a_dask_worker_whose_checkout_has_no_remote_cache_stops_before_joining(
        dask_cluster, tmp_path):
    """The preload's project defaults to the worker's working directory; a
    checkout zr cannot serve ends the worker with zr's message."""
    import shutil
    import subprocess

    from tests.servers.programs import python_script

    checkout = tmp_path / "no-remote"
    checkout.mkdir()
    (checkout / "zr.toml").write_text('[tasks.hello]\ncmd = "echo hello"\n')
    git("init", "-q", cwd=checkout)
    git("add", ".", cwd=checkout)
    git("commit", "-q", "-m", "no remote cache", cwd=checkout)
    home = tmp_path / "home"
    if dask_cluster.plugin_index.is_dir():
        shutil.copytree(dask_cluster.plugin_index, home / "cache" / "plugins")
    done = subprocess.run(
        [str(python_script("dask")), "worker", dask_cluster.scheduler.address, "--name",
         "no-remote", "--nthreads", "1", "--no-dashboard", "--preload",
         "zr_plugin_dask.preload"], cwd=checkout, capture_output=True, text=True, timeout=120,
        env={**os.environ, "ZR_HOME": str(home), "NO_COLOR": "1"}, stdin=subprocess.DEVNULL)
    assert done.returncode != 0, done.stderr
    assert "zr: error: zr.toml: a zr worker needs a remote cache" in done.stderr, done.stderr
    assert (f"zr: the Dask worker no-remote serves no checkout of {checkout} and stops"
            in done.stderr), done.stderr
    assert "Registered to:" not in done.stderr
