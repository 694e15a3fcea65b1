"""Where a launcher leaves its report and how zr reads it back.

The launcher's command line must not change between runs (it is part of
the task's cache key), so the report's place is derived, not passed: a
directory per zr process and task, which the plugin in that zr process
reads when the task finishes. One file per launched command.
"""

from __future__ import annotations

import json
import os
import tempfile
from urllib.parse import quote


def task_dir(zr_pid: int, task_name: str) -> str:
    base = os.path.join(tempfile.gettempdir(), f"zr-resources-{os.getuid()}", str(zr_pid))
    return os.path.join(base, quote(task_name, safe=""))


def write(folder: str, report: dict) -> None:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{os.getpid()}.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(report, fh)
    os.replace(tmp, path)


def collect(zr_pid: int, task_name: str) -> list:
    """The reports the task's commands left, oldest first; removed once read."""
    folder = task_dir(zr_pid, task_name)
    try:
        names = sorted(os.listdir(folder), key=lambda n: os.stat(os.path.join(folder, n))
                       .st_mtime_ns)
    except OSError:
        return []
    reports = []
    for name in names:
        path = os.path.join(folder, name)
        if name.endswith(".json"):
            try:
                with open(path) as fh:
                    reports.append(json.load(fh))
            except (OSError, ValueError):
                pass
        try:
            os.unlink(path)
        except OSError:
            pass
    try:
        os.rmdir(folder)
    except OSError:
        pass
    return reports


def remove_run(zr_pid: int) -> None:
    """Remove what a run's launchers left (reports of tasks never read)."""
    import shutil

    shutil.rmtree(os.path.dirname(task_dir(zr_pid, "x")), ignore_errors=True)
