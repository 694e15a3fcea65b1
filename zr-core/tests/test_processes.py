"""Timeouts, signals and Ctrl-C: every process zr started is gone afterwards."""

import os
import signal
import time

import pytest

from zr.testing import process_gone as _gone
from zr.testing import wait_for_file as _wait_for

pytestmark = pytest.mark.crossversion  # process and signal paths differ between versions


def test_timeout_kills_a_term_ignoring_child_and_its_grandchildren(zr_project):
    zr_project.write("""
        [settings]
        kill_grace = "300ms"
        [tasks.stuck]
        timeout = "500ms"
        cmd = "trap '' TERM; (trap '' TERM; sleep 60) & echo $! > pids; sh -c 'trap \\"\\" TERM; sleep 60' & echo $! >> pids; echo $$ >> pids; sleep 60"
    """)
    started = time.monotonic()
    result = zr_project.run("run", "stuck")
    assert time.monotonic() - started < 20
    assert result.returncode == 1
    assert "stuck timed out (after 0.5s)" in result.stderr
    pids = [int(p) for p in (zr_project.path / "pids").read_text().split()]
    assert len(pids) == 3
    assert all(_gone(pid) for pid in pids), pids


def test_timeout_then_retry(zr_project):
    zr_project.write("""
        [tasks.slow_once]
        timeout = "300ms"
        retry = 1
        cmd = "if [ -e marker ]; then echo second; else touch marker; sleep 30; fi"
    """)
    result = zr_project.run("run", "slow_once")
    assert result.returncode == 0, result
    assert "second" in result.stdout


def test_ctrl_c_during_a_parallel_run_leaves_no_process(zr_project):
    zr_project.write("""
        [tasks.a]
        cmd = "sleep 60 & echo $! >> pids; echo $$ >> pids; wait"
        [tasks.b]
        cmd = "sh -c 'sleep 60' & echo $! >> pids; echo $$ >> pids; wait"
        [tasks.c]
        deps = ["a", "b"]
        cmd = "echo never"
    """)
    proc = zr_project.popen("run", "c", "-j", "2")
    pids_file = zr_project.path / "pids"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if pids_file.exists() and len(pids_file.read_text().split()) >= 4:
            break
        time.sleep(0.02)
    pids = [int(p) for p in pids_file.read_text().split()]
    assert len(pids) == 4
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert "never" not in out
    assert "Traceback" not in err
    assert all(_gone(pid) for pid in pids), pids


def test_ctrl_c_escalates_to_kill_for_a_task_ignoring_sigint(zr_project):
    zr_project.write("""
        [settings]
        kill_grace = "300ms"
        [tasks.stubborn]
        cmd = "trap '' INT TERM; echo $$ > pid; sleep 60"
    """)
    proc = zr_project.popen("run", "stubborn")
    pid = int(_wait_for(zr_project.path / "pid")[0])
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=20)
    assert proc.returncode == 130
    assert _gone(pid)


def test_daemonized_grandchild_is_killed_on_timeout(zr_project):
    # setsid moves the grandchild out of the task's process group; zr is a
    # child subreaper, so the orphan comes back to zr and is killed.
    zr_project.write("""
        [settings]
        kill_grace = "200ms"
        [tasks.escape]
        timeout = "2s"
        cmd = "setsid sh -c 'echo $$ > escaped.tmp; mv escaped.tmp escaped; exec sleep 60' & while [ ! -e escaped ]; do sleep 0.02; done; exec sleep 60"
    """)
    result = zr_project.run("run", "escape")
    assert result.returncode == 1
    pid = int((zr_project.path / "escaped").read_text())
    deadline = time.monotonic() + 30
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pid)


def test_a_background_process_holding_the_output_does_not_hold_zr(zr_project):
    # The shell exits at once; its child keeps the output pipe open for 30 s.
    # zr waits for the task's process, not for the end of its output.
    zr_project.write('[tasks.bg]\ncmd = "sleep 30 & echo $! > pid; echo started"\n')
    started = time.monotonic()
    result = zr_project.run("run", "bg")
    assert result.returncode == 0
    assert "bg | started" in result.stdout
    assert time.monotonic() - started < 20
    os.kill(int((zr_project.path / "pid").read_text()), signal.SIGKILL)
