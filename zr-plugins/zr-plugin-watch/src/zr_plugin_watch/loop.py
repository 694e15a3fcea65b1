"""The watch loop: run, wait for a burst of changes to settle, run again.

One thread (this one) decides; the observer thread and the child's waiter
thread only record what happened and wake it through a pipe, and signals
wake it through the same pipe (``signal.set_wakeup_fd``), so the loop
sleeps in one ``select`` with no polling.

- Debounce: after a change, wait until ``debounce`` has passed without a
  new one; a burst of saves (a formatter rewriting 30 files) is one run.
- ``on_change = "restart"``: a settled change during a run cancels it (the
  whole run, every task's process group, reaped) and starts again.
  ``"queue"``: the run finishes; then one more run follows.
- Ctrl-C (or SIGTERM): the current run is interrupted the same way, the
  observer stops, and zr exits 130 with nothing left running.
"""

from __future__ import annotations

import os
import selectors
import signal
import threading
import time

from zr.api import format_duration

from .child import RunProcess, become_subreaper
from .observe import Watcher

EXIT_INTERRUPTED = 130


class WatchLoop:
    def __init__(self, plan, argv: list, env: dict, printer, *, poll: bool):
        self.plan = plan
        self.argv = argv
        self.env = env
        self.printer = printer
        self.poll = poll or plan.settings["poll"]
        self._lock = threading.Lock()
        self._changes: list = []
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._stop = False
        self.child = None

    # -- called from other threads -----------------------------------------

    def _wake(self) -> None:
        try:
            os.write(self._wake_w, b"!")
        except (BlockingIOError, OSError):
            pass  # the pipe is full: the loop is awake anyway

    def _changed(self, path: str) -> None:
        with self._lock:
            self._changes.append(path)
        self._wake()

    def _on_signal(self, signum, frame) -> None:
        self._stop = True

    # -- the loop -----------------------------------------------------------

    def run(self) -> int:
        become_subreaper()
        old_handlers = {sig: signal.signal(sig, self._on_signal)
                        for sig in (signal.SIGINT, signal.SIGTERM)}
        old_wakeup = signal.set_wakeup_fd(self._wake_w, warn_on_full_buffer=False)
        watcher = None
        try:
            watcher = Watcher(self.plan.filter, self._changed, poll=self.poll,
                              poll_interval=self.plan.settings["poll_interval"])
            if watcher.fallback_reason:
                self.printer.warn(f"native file watching is unavailable "
                                  f"({watcher.fallback_reason}); polling instead")
            self.printer.info(
                f"watching {self.plan.describe()} with {watcher.describe()} "
                f"(debounce {format_duration(self.plan.debounce)}, on change: "
                f"{'restart' if self.plan.restart else 'queue'}); Ctrl-C to stop")
            self._loop()
        finally:
            if self.child is not None:
                self.child.stop(self.plan.grace)
            if watcher is not None:
                watcher.stop()
            signal.set_wakeup_fd(old_wakeup)
            for sig, handler in old_handlers.items():
                signal.signal(sig, handler)
            os.close(self._wake_r)
            os.close(self._wake_w)
        self.printer.info("stopped watching")
        return EXIT_INTERRUPTED

    def _start_run(self) -> None:
        with self._lock:
            self._changes.clear()  # whatever changed so far, this run sees it
        self.child = RunProcess(self.argv, self.env, self._wake)

    def _take_changes(self) -> list:
        with self._lock:
            changes, self._changes = self._changes, []
        return changes

    def _loop(self) -> None:
        selector = selectors.DefaultSelector()
        selector.register(self._wake_r, selectors.EVENT_READ)
        pending: list = []
        last_change = 0.0
        self._start_run()
        try:
            while not self._stop:
                timeout = None
                running = self.child is not None and self.child.returncode is None
                if pending and (self.plan.restart or not running):
                    timeout = max(0.0, last_change + self.plan.debounce - time.monotonic())
                selector.select(timeout)
                try:
                    while os.read(self._wake_r, 4096):
                        pass
                except (BlockingIOError, OSError):
                    pass
                if self._stop:
                    break
                fresh = self._take_changes()
                if fresh:
                    pending.extend(fresh)
                    last_change = time.monotonic()
                if self.child is not None and self.child.returncode is not None:
                    self._finished(self.child.returncode, waiting=not pending)
                    self.child = None
                settled = pending and time.monotonic() >= last_change + self.plan.debounce
                if not settled:
                    continue
                if self.child is not None:
                    if not self.plan.restart:
                        continue  # queue: run again when this run ends
                    self.printer.info(f"{_what_changed(pending, self.plan)}; restarting")
                    self.child.stop(self.plan.grace)
                    self.child = None
                else:
                    self.printer.info(f"{_what_changed(pending, self.plan)}; running again")
                pending = []
                self._start_run()
        finally:
            selector.close()

    def _finished(self, code: int, waiting: bool) -> None:
        word = "succeeded" if code == 0 else f"failed (exit {code})"
        self.printer.info(f"run {word}" + ("; waiting for changes" if waiting else ""))


def _what_changed(paths: list, plan) -> str:
    unique = list(dict.fromkeys(paths))
    shown = os.path.relpath(unique[0], plan.config.root)
    more = len(unique) - 1
    return f"{shown}{f' and {more} more' if more else ''} changed"
