"""``zr repo run TASK``: one task across repos, in dependency order, in parallel.

Each repo's task runs as the real ``zr run TASK`` in its checkout, so the
repo's own ``zr.toml`` decides everything about how (its deps, cache, env).
Across repos, a repo starts when the repos it depends on (among those
selected) have finished; independent repos run side by side, ``jobs`` at a
time. A failure stops new repos from starting (``keep_going`` lets repos
that do not depend on it go on); dependents of a failed repo never run.
Output is streamed line by line, prefixed with the repo's name.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass

from .graph import restricted, topological_order
from .secrets import mask
from .tasks import ZR, has_task

OK, FAILED, SKIPPED, NO_TASK, NOT_CLONED, NOT_RUN, UNAFFECTED = (
    "ok", "failed", "skipped", "no task", "not cloned", "not run", "unaffected")
# A dependency in one of these states keeps its dependents from running.
_BLOCKING = (FAILED, NOT_CLONED, SKIPPED)


@dataclass
class RepoResult:
    name: str
    status: str
    detail: str = ""
    seconds: float | None = None
    exit_code: int | None = None

    @property
    def bad(self) -> bool:
        return self.status in (FAILED, NOT_CLONED)

    def as_json(self) -> dict:
        return {"name": self.name, "status": self.status, "detail": self.detail,
                "exit_code": self.exit_code,
                "seconds": None if self.seconds is None else round(self.seconds, 3)}


class Output:
    """Serialises lines from many repos onto zr's stdout, each with its repo's prefix."""

    def __init__(self, width: int, write):
        self.width = width
        self.write = write
        self.lock = threading.Lock()

    def line(self, repo: str, text: str) -> None:
        with self.lock:
            self.write(f"{repo.ljust(self.width)} | {mask(text)}")


def run_task(manifest, names: list, task: str, *, jobs: int, keep_going: bool,
             dry_run: bool, task_args: list, output: Output, skip: dict) -> list:
    """Run ``task`` in the repos ``names`` (manifest order); ``task_args`` are the
    words after ``--``, passed on; ``skip`` maps repos already decided
    (unaffected) to their result. Returns one result per repo."""
    repos = manifest.repos
    results: dict = dict(skip)
    todo = [name for name in names if name not in results]
    for name, result in _probe(repos, todo, task, jobs).items():
        if result is not None:
            results[name] = result
    graph = restricted({n: list(r.deps) for n, r in repos.items()}, todo)
    # Dependencies before dependents, so a skip cascades in one pass.
    waiting = [name for name in topological_order(graph) if name not in results]
    argv = [*ZR, "run", *(["--dry-run"] if dry_run else []), task,
            *(["--", *task_args] if task_args else [])]
    width = 1 if dry_run else max(1, jobs)
    stopped = False
    running: dict = {}
    with ThreadPoolExecutor(max_workers=width) as pool:
        while waiting or running:
            for name in list(waiting):
                blocked = [f"{dep} {results[dep].status}" for dep in graph[name]
                           if dep in results and results[dep].status in _BLOCKING]
                if blocked:
                    waiting.remove(name)
                    results[name] = RepoResult(name, SKIPPED, ", ".join(blocked))
                elif (all(dep in results for dep in graph[name]) and not stopped
                      and len(running) < width):
                    waiting.remove(name)
                    running[pool.submit(_run_one, repos[name], argv, output)] = name
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                name = running.pop(future)
                results[name] = future.result()
                stopped = stopped or (results[name].bad and not keep_going)
    for name in waiting:
        results[name] = RepoResult(name, NOT_RUN, "stopped after a failure (-k keeps going)")
    return [results[name] for name in names]


def _probe(repos: dict, names: list, task: str, jobs: int) -> dict:
    """Decide up front the repos that will not run: not cloned, or without the task."""

    def probe(name: str):
        repo = repos[name]
        if not os.path.isdir(repo.directory):
            return RepoResult(name, NOT_CLONED, "run `zr repo sync` first")
        try:
            found, why = has_task(repo.directory, task)
        except RuntimeError as exc:
            return RepoResult(name, FAILED, str(exc))
        return None if found else RepoResult(name, NO_TASK, why)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return dict(zip(names, pool.map(probe, names)))


def _run_one(repo, argv: list, output: Output) -> RepoResult:
    started = time.monotonic()
    proc = subprocess.Popen(argv, cwd=repo.directory, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
                            errors="replace", bufsize=1)
    for line in proc.stdout:
        output.line(repo.name, line.rstrip("\n"))
    code = proc.wait()
    seconds = time.monotonic() - started
    if code == 0:
        return RepoResult(repo.name, OK, seconds=seconds, exit_code=0)
    return RepoResult(repo.name, FAILED, f"exit {code}", seconds=seconds, exit_code=code)
