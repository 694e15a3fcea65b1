"""Counts calls of zr_task_env per task (ZR_HOOK_LOG), answers
zr_task_failed from the task's ``on_failure`` field and steers running
tasks through run.control (field ``control``)."""

import os
import threading
import time

from zr.api import STRING, hookimpl


def _log(line):
    with open(os.environ["ZR_HOOK_LOG"], "a") as fh:
        fh.write(line + "\n")


@hookimpl
def zr_config_sections(registry):
    registry.task_field("on_failure", STRING, help="retry-once, or skip")
    registry.task_field("control", STRING, help="pause, pause-only (never resumed), or cancel")


@hookimpl
def zr_task_env(task, env, run):
    _log(f"env {task.name}")


_retried = set()


@hookimpl
def zr_task_failed(task, result, run):
    _log(f"failed {task.name} {result.status} attempts={result.attempts}")
    wanted = task.field("on_failure")
    if wanted == "retry-once" and task.name not in _retried:
        _retried.add(task.name)
        return "retry"
    return "skip" if wanted == "skip" else None


@hookimpl
def zr_process_started(task, pid, run):
    action = task.field("control")
    if action and not run.state.get(("control", task.name)):
        run.state[("control", task.name)] = True
        threading.Thread(target=_steer, args=(run, task.name, pid, action), daemon=True).start()


def _state(pid):
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().rsplit(")", 1)[1].split()[0]


def _steer(run, name, pid, action):
    time.sleep(0.3)
    if action == "cancel":
        run.control.cancel(name)
        return
    run.control.pause(name)
    for _ in range(100):
        if _state(pid) == "T":
            break
        time.sleep(0.05)
    _log(f"paused {name} state={_state(pid)}")
    if action == "pause-only":
        return  # left stopped: only zr can wake it (Ctrl-C, SIGTERM)
    time.sleep(2.0)  # longer than the task's timeout has left
    _log(f"resuming {name}")  # before: zr may exit as soon as the task ends
    run.control.resume(name)
