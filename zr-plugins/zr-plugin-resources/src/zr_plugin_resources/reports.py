"""Where a launcher leaves its report and how zr reads it back.

The launcher's command line must not change between runs (it is part of
the task's cache key), so the report's place is derived, not passed: a
directory per zr process and task, which the plugin in that zr process
reads when the task finishes. One file per launched command.
"""

from __future__ import annotations

import os


def task_dir(zr_pid: int, task_name: str) -> str:
    """(Standard library only, and cheap: every limited command's launcher
    computes it.)"""
    base = os.path.join(os.environ.get("TMPDIR") or "/tmp", f"zr-resources-{os.getuid()}",
                        str(zr_pid))
    return os.path.join(base, task_name.replace("%", "%25").replace("/", "%2F"))


def write(folder: str, report: dict) -> None:
    os.makedirs(folder, exist_ok=True)
    import json

    path = os.path.join(folder, f"{os.getpid()}.json")
    tmp = path + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(report, fh)
    os.replace(tmp, path)


def collect(zr_pid: int, task_name: str) -> list:
    """The reports the task's commands left, oldest first; removed once read."""
    import json

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
