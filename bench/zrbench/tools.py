"""The runners under test: where each executable is, and the command lines it takes.

Peers live in the bench's own prefix (``bench/work/venv`` from PyPI,
``bench/work/node`` from npm); ``make`` is the system's. zr is the checkout's
``.venv/bin/zr`` unless ``--zr`` names another.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field


@dataclass
class Tool:
    """A runner and how to ask it to list tasks or run one.

    ``list_args`` is None when the runner has no task listing;
    ``serial_reason`` says why ``jobs`` is ignored (the runner runs a
    dependency graph one task at a time).
    """

    name: str
    executable: str | None
    version_args: tuple
    list_args: tuple | None
    run_args: object  # callable (target, jobs or None) -> list of arguments
    serial_reason: str = ""
    no_list_reason: str = ""
    version: str = field(default="")

    @property
    def available(self) -> bool:
        return bool(self.executable) and os.path.exists(self.executable)

    def list_argv(self) -> list:
        return [self.executable, *self.list_args]

    def run_argv(self, target: str, jobs: int | None) -> list:
        return [self.executable, *self.run_args(target, jobs)]

    def detect_version(self) -> str:
        if not self.available:
            return ""
        try:
            out = subprocess.run([self.executable, *self.version_args], capture_output=True,
                                 text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"unknown ({exc})"
        text = (out.stdout or out.stderr).strip().splitlines()
        first = text[0].strip() if text else "unknown"
        number = re.search(r"\d+\.\d+[\w.+-]*", first)
        self.version = number.group(0) if number else first
        return self.version


def jobs_args(template: str):
    """Arguments for a jobs count, from a template such as ``-j{}`` or ``--concurrency {}``."""
    return lambda jobs: [] if jobs is None else template.format(jobs).split()


def build_tools(zr_executable: str, peer_bin: str, node_bin: str) -> dict:
    """Every runner, in report order; a missing executable makes it unavailable."""
    def peer(name):
        return os.path.join(peer_bin, name)

    zr_jobs, make_jobs = jobs_args("-j {}"), jobs_args("-j{}")
    task_jobs, doit_jobs = jobs_args("--concurrency {}"), jobs_args("-n {}")
    serial = "runs dependencies one at a time (no parallel graph execution): run at -j1"
    tools = [
        Tool("zr", zr_executable, ("--version",), ("list",),
             lambda t, j: ["run", t, *zr_jobs(j), "--quiet"]),
        Tool("make", shutil.which("make"), ("--version",), None,
             lambda t, j: ["-s", *make_jobs(j), t],
             no_list_reason="make has no task listing"),
        Tool("task", peer("task"), ("--version",), ("--list",),
             lambda t, j: ["--silent", *task_jobs(j), t]),
        Tool("just", peer("just"), ("--version",), ("--list",),
             lambda t, j: [t], serial_reason="just " + serial),
        Tool("poe", peer("poe"), ("--version",), ("--help",),
             lambda t, j: [t], serial_reason="poe " + serial),
        Tool("invoke", peer("invoke"), ("--version",), ("--list",),
             lambda t, j: [t], serial_reason="invoke " + serial),
        Tool("doit", peer("doit"), ("--version",), ("list",),
             lambda t, j: [*doit_jobs(j), t]),
        Tool("turbo", os.path.join(node_bin, "turbo"), ("--version",), None,
             lambda t, j: ["run", t, "--output-logs=none", "--cache-dir=.turbo-cache",
                           *([f"--concurrency={j}"] if j else [])],
             no_list_reason="turbo lists packages, not tasks"),
    ]
    return {t.name: t for t in tools}


PYTHON_SHEBANG = "#!"


def script_interpreter(executable: str) -> str | None:
    """The Python a console script runs under (its shebang), for the ``python -c pass`` floor."""
    try:
        with open(executable, "rb") as fh:
            first = fh.readline(512).decode("utf-8", "replace").strip()
    except OSError:
        return None
    if not first.startswith(PYTHON_SHEBANG) or "python" not in first:
        return None
    return first[len(PYTHON_SHEBANG):].strip().split()[0]
