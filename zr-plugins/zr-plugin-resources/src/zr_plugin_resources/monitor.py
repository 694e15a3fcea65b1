"""Limits without cgroups: sample a command's whole process tree.

Every :data:`SAMPLE_SECONDS` the tree (the command and every descendant
still attached to it) is measured with psutil: past the memory limit every
process in it is killed; past the CPU limit over the last window the tree
is stopped (SIGSTOP) long enough to bring the average back to the limit,
then continued. A tree is measured, not enforced by the kernel, so a
process may briefly pass the limit between two samples.
"""

from __future__ import annotations

import os
import signal
import time

SAMPLE_SECONDS = 0.05


class TreeMonitor:
    def __init__(self, pid: int, memory: int | None, cpu: float | None):
        import psutil

        self.psutil = psutil
        self.root = psutil.Process(pid)
        self.memory = memory
        self.cpu = cpu
        self.peak = 0
        self.cpu_seconds = 0.0
        self._seen: dict = {}  # pid -> last CPU seconds (the tree's, summed at the end)
        self.killed_for = None

    def tree(self) -> list:
        try:
            return [self.root] + self.root.children(recursive=True)
        except self.psutil.Error:
            return []

    def run(self, wait_nohang) -> tuple:
        window_start, window_cpu = time.monotonic(), self._cpu()
        while True:
            done = wait_nohang(self.root.pid)
            if done is not None:
                status, usage = done
                return status, usage, {"peak_rss": self.peak,
                                       "cpu_seconds": sum(self._seen.values()) or None,
                                       "killed_for": self.killed_for}
            rss = self._rss()
            self.peak = max(self.peak, rss)
            if self.memory and rss > self.memory and self.killed_for is None:
                self.killed_for = "memory"
                self._signal(signal.SIGKILL)
            if self.cpu:
                now, used = time.monotonic(), self._cpu()
                elapsed = now - window_start
                if elapsed >= 0.2:
                    over = (used - window_cpu) / self.cpu - elapsed
                    if over > 0:
                        self._signal(signal.SIGSTOP)
                        time.sleep(min(over, 1.0))
                        self._signal(signal.SIGCONT)
                    window_start, window_cpu = time.monotonic(), self._cpu()
            time.sleep(SAMPLE_SECONDS)

    def _rss(self) -> int:
        total = 0
        for process in self.tree():
            try:
                total += process.memory_info().rss
            except self.psutil.Error:
                pass
        return total

    def _cpu(self) -> float:
        for process in self.tree():
            try:
                times = process.cpu_times()
                self._seen[process.pid] = times.user + times.system
            except self.psutil.Error:
                pass
        return sum(self._seen.values())

    def _signal(self, signum: int) -> None:
        for process in self.tree():
            try:
                os.kill(process.pid, signum)
            except OSError:
                pass
