"""``zr interactive-run``: the progress block, plus keys that steer the run.

``p`` pauses the running tasks and ``r`` resumes them, ``c`` cancels them,
through the kernel's ``run.control`` (SIGSTOP/SIGCONT/SIGTERM to each
task's process group; a paused task's timeout does not run). When a task
fails, ``zr_task_failed`` asks: ``r`` retry, ``s`` skip (its dependents
run), ``a`` abort (it fails as usual). The terminal is in raw mode (no echo,
keys one by one); Ctrl-C resumes paused tasks, then interrupts the run as
on any ``zr run``.
"""

from __future__ import annotations

import os
import queue
import signal
import threading

from .progress import Progress
from .terminal import Keys, Screen

_HELP = "keys: p pause · r resume · c cancel · Ctrl-C stop"
_ANSWERS = {"r": "retry", "s": "skip"}


class InteractiveRun:
    """The view of one run (in ``run.state['tui']``)."""

    def __init__(self, run):
        self.run = run
        self.printer = run.printer
        self.paused = False
        self._asking = threading.Event()
        self._answers: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._lent = threading.Event()  # an interactive task has the terminal
        self.screen = Screen(0, run.printer.err, alternate=False)
        self.screen.__enter__()
        self.progress = Progress(run, "tty", footer_line=self._help_line)
        self.keys = Keys(0)
        self._thread = threading.Thread(target=self._read_keys, name="zr-keys", daemon=True)
        self._thread.start()

    def _help_line(self) -> str:
        return _HELP + ("   [paused]" if self.paused else "")

    # -- run hooks -----------------------------------------------------------

    def task_started(self, task) -> None:
        self.progress.task_started(task)
        if task.interactive:  # it reads the terminal itself: no keys, cooked mode
            self._lent.set()
            self.keys.wake()
            self.screen.restore()
        if self.paused and self.run.control is not None:
            self.run.control.pause(task.name)  # paused means paused
            self.progress.state.set_paused(task.name, True)

    def task_finished(self, task, result) -> None:
        if task.interactive and self._lent.is_set():
            self.screen.__enter__()
            self._lent.clear()
        self.progress.task_finished(task, result)

    def task_failed(self, task, result):
        """Ask what to do; the answer for the kernel ("retry", "skip" or None)."""
        block = self.progress.block
        block.suspend()
        what = result.message or result.status.replace("_", " ")
        self._say(f"zr: {task.name} failed ({what}): r retry, s skip, a abort? ")
        while not self._answers.empty():
            self._answers.get_nowait()
        self._asking.set()
        try:
            while True:
                key = self._answers.get()
                if key in ("r", "s", "a", "ctrl-c", "eof"):
                    break
        finally:
            self._asking.clear()
        self._say({"r": "retry", "s": "skip"}.get(key, "abort") + "\n")
        block.resume()
        if key == "ctrl-c":
            os.kill(os.getpid(), signal.SIGINT)
        return _ANSWERS.get(key)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.keys.close()
        if self.paused:
            self._set_paused(False)
        self.progress.close()
        self.screen.restore()

    # -- keys -----------------------------------------------------------------

    def _read_keys(self) -> None:
        while not self._stop.is_set():
            if self._lent.is_set():
                self._stop.wait(0.05)
                continue
            for key in self.keys.read(0.1):
                if self._asking.is_set():
                    self._answers.put(key)
                else:
                    self.handle(key)

    def handle(self, key: str) -> None:
        control = self.run.control
        if key == "ctrl-c":
            if self.paused:
                self._set_paused(False)
            os.kill(os.getpid(), signal.SIGINT)  # what zr does on any Ctrl-C
        elif control is None:
            return
        elif key == "p" and not self.paused:
            self._set_paused(True)
        elif key == "r" and self.paused:
            self._set_paused(False)
        elif key == "c":
            for name in self._running():
                control.cancel(name)

    def _running(self) -> list:
        state = self.progress.state
        with state.lock:
            return list(state.running)

    def _set_paused(self, paused: bool) -> None:
        control = self.run.control
        self.paused = paused
        for name in self._running():
            if control is not None:
                (control.pause if paused else control.resume)(name)
            self.progress.state.set_paused(name, paused)
        self.progress.block.redraw()

    def _say(self, text: str) -> None:
        out = self.printer.err
        out.write(text.encode())
        out.flush()
