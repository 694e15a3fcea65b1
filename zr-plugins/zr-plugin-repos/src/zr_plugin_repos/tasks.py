"""Which repos have a task: asked of the real ``zr`` in each checkout.

Each repo's own ``zr.toml`` (with its includes, matrices and plugins)
decides what tasks exist, so the answer comes from ``zr list --format json``
run in that checkout, not from reading its file here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .secrets import mask

ZR = [sys.executable, "-m", "zr"]  # the zr of this very installation


def public_tasks(directory: str) -> list:
    """Names (and aliases) of the checkout's public tasks, [] without a zr.toml;
    raises RuntimeError when its zr.toml cannot be loaded."""
    if not os.path.isfile(os.path.join(directory, "zr.toml")):
        return []
    proc = subprocess.run([*ZR, "list", "--format", "json"], cwd=directory,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        raise RuntimeError(mask(lines[-1] if lines else f"zr list exited with {proc.returncode}"))
    return [entry for entry in json.loads(proc.stdout or "[]") if entry.get("kind") == "task"]


def has_task(directory: str, task: str) -> tuple:
    """``(True, "")`` if the checkout has ``task``; ``(False, why)`` if not;
    raises RuntimeError when its zr.toml cannot be loaded."""
    if not os.path.isfile(os.path.join(directory, "zr.toml")):
        return False, "no zr.toml"
    for entry in public_tasks(directory):
        if entry.get("name") == task or task in entry.get("aliases", ()):
            return True, ""
    return False, "no such task"
