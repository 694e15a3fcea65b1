"""What every view shows about a run: counts, running tasks with their start
time and last line of output, and an ETA from recorded durations.

Fed by the run hooks (main thread) and read by a view's drawing thread, so
every method takes the one lock.
"""

from __future__ import annotations

import threading
import time

from .terminal import printable

# Result statuses (zr.model's values; compared as strings so that this
# module stays importable without the kernel's model).
_FAILED = ("failed", "timed_out")
_CACHED = "cached"


class Running:
    """One running task as a view shows it."""

    __slots__ = ("name", "started", "last_line", "paused_at", "paused_for")

    def __init__(self, name: str):
        self.name = name
        self.started = time.monotonic()
        self.last_line = b""
        self.paused_at = None
        self.paused_for = 0.0

    def elapsed(self, now: float) -> float:
        paused = self.paused_for + ((now - self.paused_at) if self.paused_at else 0.0)
        return max(0.0, now - self.started - paused)


class RunState:
    """Counts and running tasks of one run; ``version`` changes with them."""

    def __init__(self, names, jobs: int = 1):
        self.lock = threading.RLock()
        self.pending = set(names)
        self.total = len(self.pending)
        self.jobs = max(1, jobs)
        self.done = 0
        self.failed = 0
        self.cached = 0
        self.running: dict = {}
        self.expected: dict = {}   # task name -> seconds it took last time
        self.version = 0

    def started(self, name: str) -> None:
        with self.lock:
            self.pending.discard(name)
            self.running[name] = Running(name)
            self.version += 1

    def finished(self, name: str, status: str) -> None:
        with self.lock:
            self.pending.discard(name)  # skipped and cached tasks never start
            self.running.pop(name, None)
            self.done += 1
            if status in _FAILED:
                self.failed += 1
            elif status == _CACHED:
                self.cached += 1
            self.version += 1

    def output(self, name: str, data: bytes) -> None:
        """Remember the last non-empty line ``name`` wrote."""
        end = len(data)
        while True:
            start = data.rfind(b"\n", 0, end) + 1
            line = data[start:end].strip()
            if line or start == 0:
                break
            end = start - 1
        if not line:
            return
        with self.lock:
            running = self.running.get(name)
            if running is not None and running.last_line != line:
                running.last_line = line[-2000:]
                self.version += 1

    def set_paused(self, name: str, paused: bool) -> None:
        with self.lock:
            running = self.running.get(name)
            if running is None:
                return
            now = time.monotonic()
            if paused and running.paused_at is None:
                running.paused_at = now
            elif not paused and running.paused_at is not None:
                running.paused_for += now - running.paused_at
                running.paused_at = None
            self.version += 1

    def last_line(self, name: str, width: int) -> str:
        running = self.running.get(name)
        return printable(running.last_line, width) if running else ""

    def eta(self, now: float):
        """Seconds left, from the durations recorded for the tasks not done
        (unknown ones count as the average known one), spread over the jobs;
        None when nothing is known. O(tasks left): call it a few times a
        second, not per write."""
        with self.lock:
            known = self.expected
            if not known:
                return None
            average = sum(known.values()) / len(known)
            left = 0.0
            for running in self.running.values():
                left += max(0.0, known.get(running.name, average) - running.elapsed(now))
            left += sum(known.get(name, average) for name in self.pending)
            return left / min(self.jobs, max(1, self.total - self.done))
