"""``--monitor``: CPU and memory of every running task, sampled in a
background thread of zr (no wrapper process per task, so a large graph of
short tasks pays almost nothing), shown as periodic lines and kept as each
task's peak memory and CPU time for history."""

from __future__ import annotations

import os
import threading

SAMPLE_SECONDS = 0.5
REPORT_EVERY = 4  # samples between two printed lines


class LiveMonitor:
    def __init__(self, printer):
        self.psutil = None  # imported by the sampling thread (20 ms), not on zr's loop
        self.printer = printer
        self._lock = threading.Lock()
        self._roots: dict = {}   # task name -> its current command: pid, then psutil.Process
        self._stats: dict = {}   # task name -> {"peak_rss", "cpu": {pid: seconds}}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="zr-monitor", daemon=True)
        self._thread.start()

    def track(self, name: str, pid: int) -> None:
        # Only the pid is noted here, on zr's scheduling thread; the sampling
        # thread reads /proc. Reading it here (psutil.Process reads the
        # process's start time) cost a graph of 1,000 short tasks a tenth
        # more; a task that ends before its first sample records no peak.
        with self._lock:
            self._roots[name] = pid
            self._stats.setdefault(name, {"peak_rss": 0, "cpu": {}})

    def finished(self, name: str) -> dict:
        with self._lock:
            self._roots.pop(name, None)
            stats = self._stats.pop(name, None)
        if not stats or not stats["cpu"]:  # (never sampled: ended within SAMPLE_SECONDS)
            return {}
        return {"peak_rss": stats["peak_rss"], "cpu_seconds": round(sum(stats["cpu"].values()), 3)}

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def _loop(self) -> None:
        try:
            import psutil
        except ImportError as exc:  # a broken install: say so, and let the run go on
            self.printer.warn(f"--monitor: cannot sample processes: {exc}")
            return
        self.psutil = psutil
        count = 0
        while not self._stop.wait(SAMPLE_SECONDS):
            with self._lock:
                roots = list(self._roots.items())
            lines = [line for name, root in roots
                     if (process := self._process(name, root)) is not None
                     and (line := self._sample(name, process)) is not None]
            count += 1
            if lines and count % REPORT_EVERY == 0:
                self.printer.info("monitor: " + "; ".join(lines))

    def _process(self, name: str, root):
        """The psutil.Process of a task's command, made on its first sample
        from the pid :meth:`track` noted; None once it is gone, or when the
        pid is no longer zr's child (reaped and reused in between)."""
        if not isinstance(root, int):
            return root
        try:
            process = self.psutil.Process(root)
            if process.ppid() != os.getpid():
                return None
        except self.psutil.Error:
            return None
        with self._lock:
            if self._roots.get(name) == root:
                self._roots[name] = process
        return process

    def _sample(self, name: str, root):
        try:
            tree = [root] + root.children(recursive=True)
        except self.psutil.Error:
            return None
        rss, percent = 0, 0.0
        with self._lock:
            stats = self._stats.get(name)
        if stats is None:
            return None
        for process in tree:
            try:
                with process.oneshot():
                    rss += process.memory_info().rss
                    times = process.cpu_times()
                    percent += process.cpu_percent(None)
                stats["cpu"][process.pid] = times.user + times.system
            except self.psutil.Error:
                continue
        stats["peak_rss"] = max(stats["peak_rss"], rss)
        return f"{name} {percent:.0f}% CPU {rss / 1e6:.0f} MB"


def start_monitor(run) -> None:
    run.state["resources"] = LiveMonitor(run.printer)
