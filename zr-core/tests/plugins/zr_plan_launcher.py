"""A transform that says how a task runs here without changing what it
computes: wraps every command in a launcher found at an absolute path of
this checkout (``plan.wrap``) and puts that directory on PATH with
``plan.set_env(..., key=False)``. Its executor hook writes what a cache key
would see (the unwrapped commands, key parts, key env) to ZR_HOOK_LOG."""

import json
import os

from zr.api import hookimpl


@hookimpl(trylast=True)
def zr_task_plan(task, plan, run):
    launcher = plan.env.get("TEST_LAUNCHER")
    if launcher:
        plan.wrap([launcher, "--label"], key=plan.env.get("TEST_LAUNCHER_KEY") or None)
        where = os.path.dirname(launcher)
        plan.set_env("PATH", where + os.pathsep + plan.env.get("PATH", ""), key=False)
        plan.set_env("LAUNCHER_HOME", where, key=False)
        plan.set_env("LAUNCHER_MODE", "fast")


@hookimpl
def zr_task_executor(task, plan, run):
    log = os.environ.get("ZR_HOOK_LOG")
    if log and plan.env.get("TEST_LAUNCHER"):
        env = plan.key_env()
        seen = {"argvs": plan.argvs, "key_parts": plan.key_parts,
                "key_env": sorted(n for n in env if n not in ("ZR_TASK", "TEST_LAUNCHER",
                                                              "TEST_LAUNCHER_KEY"))}
        with open(log, "a") as fh:
            fh.write(json.dumps(seen) + "\n")
    return None
