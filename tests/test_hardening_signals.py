"""SIGHUP (the terminal closes) through the real ``zr``: the tasks' process
groups are stopped and reaped, and zr exits 129."""

from __future__ import annotations

import os
import signal
import sys
import time

import pytest

pytestmark = [pytest.mark.crossversion,
              pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")]


def alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie counts as dead (PID 1 here may not
    reap orphans)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_sighup_stops_every_task_group_and_exits_129(zr_project):
    zr_project.write("""
        [tasks.one]
        cmd = "sleep 60 & echo $! > one.pid; wait"

        [tasks.two]
        cmd = "sleep 60 & echo $! > two.pid; wait"

        [tasks.both]
        deps = ["one", "two"]
    """)
    process = zr_project.popen("-j", "2", "run", "both")
    pids = [zr_project.path / "one.pid", zr_project.path / "two.pid"]
    try:
        deadline = time.monotonic() + 30
        while not all(p.exists() and p.read_text().strip() for p in pids):
            assert time.monotonic() < deadline, "tasks did not start"
            time.sleep(0.05)
        process.send_signal(signal.SIGHUP)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 129, err
    assert "Traceback" not in err
    sleepers = [int(p.read_text()) for p in pids]
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in sleepers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in sleepers), "a task's process outlived zr"
