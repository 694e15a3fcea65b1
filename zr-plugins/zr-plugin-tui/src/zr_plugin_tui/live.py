"""``zr live``: the run full-screen, a pane per task.

The view is the printer's footer for the run (so it receives every chunk
of task output, before prefixing) and keeps each task's lines in a bounded
buffer; a UI thread reads keys and redraws at most every 50 ms. The
scheduler keeps running on the main thread: Ctrl-C and ``q`` are turned
into the SIGINT zr handles on any run (forwarded to the tasks, exit 130).
When the run ends the view closes, the terminal is restored, and the last
lines of failed tasks are printed above the usual summary.
"""

from __future__ import annotations

import collections
import os
import signal
import threading
import time

from .state import RunState
from .terminal import Keys, Screen, fit, printable, size
from .units import seconds

_KEEP_LINES = 10_000     # per pane; older lines scroll out of the buffer
_LONGEST_LINE = 4096     # bytes kept of one line
_FRAME = 0.05
_TAIL_AFTER = 20         # lines of a failed task printed after the view

_MARKS = {"success": "ok", "cached": "cached", "skipped": "skipped", "failed": "failed",
          "timed_out": "timed out", "interrupted": "interrupted", "blocked": "not run"}


class Pane:
    """One task's output as lines, and how it is doing."""

    __slots__ = ("name", "lines", "partial", "status", "duration", "started", "count")

    def __init__(self, name: str):
        self.name = name
        self.lines: collections.deque = collections.deque(maxlen=_KEEP_LINES)
        self.partial = b""
        self.status = "running"
        self.duration = None
        self.started = time.monotonic()
        self.count = 0

    def feed(self, data: bytes) -> None:
        parts = (self.partial + data).split(b"\n")
        self.partial = parts.pop()[:_LONGEST_LINE]
        self.lines.extend(part[:_LONGEST_LINE] for part in parts)
        self.count += len(parts)

    def visible_lines(self) -> list:
        return list(self.lines) + ([self.partial] if self.partial else [])

    def label(self, now: float) -> str:
        took = self.duration if self.duration is not None else now - self.started
        return f"{self.name} {_MARKS.get(self.status, self.status)} {seconds(took)}"


class LiveView:
    """The view of one run (in ``run.state['tui']``)."""

    def __init__(self, run):
        self.run = run
        self.printer = run.printer
        self.state = RunState(run.plan)
        self.lock = threading.RLock()
        self.panes: dict = {}
        self.order: list = []
        self.selected = 0
        self.follow_running = True   # until the user picks a pane
        self.scroll = 0              # lines up from the bottom; 0 follows the output
        self.messages: list = []     # zr's own lines, printed again after the view
        self._task_write = False
        self._dirty = True
        self._stop = threading.Event()
        self._lent = threading.Event()  # an interactive task has the terminal
        self.screen = Screen(0, run.printer.out)
        self.screen.__enter__()
        self.keys = Keys(0)
        self.printer.set_footer(self)
        self._thread = threading.Thread(target=self._ui, name="zr-live", daemon=True)
        self._thread.start()

    # -- the printer's footer protocol: everything is kept, nothing printed --

    def task_output(self, name: str, stream: int, data: bytes) -> None:
        with self.lock:
            pane = self.panes.get(name)
            if pane is None:
                pane = self._add_pane(name)
            pane.feed(data)
            self._task_write = True
            self._dirty = True

    def write(self, fh, data: bytes) -> None:
        with self.lock:
            if self._task_write:  # the prefixed copy of what task_output kept
                self._task_write = False
                return
            self.messages.append(data)
            self._dirty = True

    # -- run hooks ---------------------------------------------------------

    def task_started(self, task) -> None:
        self.state.started(task.name)
        with self.lock:
            pane = self.panes.get(task.name) or self._add_pane(task.name)
            pane.started = time.monotonic()
            pane.status = "running"
            if self.follow_running:
                self.selected = self.order.index(task.name)
                self.scroll = 0
            self._dirty = True
            if task.interactive:  # it gets the terminal itself, as it would under zr run
                self._lent.set()
                self.keys.wake()
                self.screen.restore()

    def task_finished(self, task, result) -> None:
        self.state.finished(task.name, result.status)
        with self.lock:
            if task.interactive and self._lent.is_set():
                self.screen.__enter__()
                self._lent.clear()
            pane = self.panes.get(task.name)
            if pane is None:
                if result.status in ("blocked", "skipped"):
                    return  # never ran: no pane
                pane = self._add_pane(task.name)
            pane.status = result.status
            pane.duration = result.duration
            if self.follow_running and self.order[self.selected] == task.name:
                running = [i for i, n in enumerate(self.order)
                           if self.panes[n].status == "running"]
                if running:
                    self.selected = running[0]
            self._dirty = True

    def task_failed(self, task, result):
        return None

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.keys.close()
        self.printer.set_footer(None)
        self.screen.restore()
        out = self.printer.err
        for data in self.messages:
            out.write(data)
        for name in self.order:
            pane = self.panes[name]
            if pane.status in ("failed", "timed_out"):
                lines = pane.visible_lines()[-_TAIL_AFTER:]
                out.write(f"zr: last lines of {name}:\n".encode())
                for line in lines:
                    out.write(b"  " + line + b"\n")
        out.flush()

    # -- keys and drawing --------------------------------------------------

    def _add_pane(self, name: str) -> Pane:
        pane = Pane(name)
        self.panes[name] = pane
        self.order.append(name)
        return pane

    def _ui(self) -> None:
        last = 0.0
        shape = None
        while not self._stop.is_set():
            if self._lent.is_set():
                self._stop.wait(_FRAME)
                continue
            for key in self.keys.read(_FRAME):
                self.handle(key)
            now = time.monotonic()
            if self._dirty or now - last > 0.5 or size(1) != shape:
                shape = size(1)
                self._draw()
                last = now

    def handle(self, key: str) -> None:
        with self.lock:
            count = len(self.order)
            if key in ("ctrl-c", "q"):
                os.kill(os.getpid(), signal.SIGINT)  # what zr does on any Ctrl-C
            elif count and key in ("right", "tab", "l"):
                self._select((self.selected + 1) % count)
            elif count and key in ("left", "h"):
                self._select((self.selected - 1) % count)
            elif key.isdigit() and key != "0" and int(key) <= count:
                self._select(int(key) - 1)
            elif key in ("up", "k"):
                self.scroll += 1
            elif key in ("down", "j"):
                self.scroll = max(0, self.scroll - 1)
            elif key == "pgup":
                self.scroll += max(1, size(1)[1] - 3)
            elif key == "pgdn":
                self.scroll = max(0, self.scroll - max(1, size(1)[1] - 3))
            elif key == "home":
                self.scroll = 1 << 30
            elif key == "end":
                self.scroll = 0
            self._dirty = True

    def _select(self, index: int) -> None:
        self.selected = index
        self.scroll = 0
        self.follow_running = False

    def _draw(self) -> None:
        columns, rows = size(1)
        width = columns - 1
        now = time.monotonic()
        with self.lock:
            self._dirty = False
            tabs = []
            for index, name in enumerate(self.order):
                text = f" {index + 1}:{self.panes[name].label(now)} "
                tabs.append(f"\x1b[7m{text}\x1b[0m" if index == self.selected else text)
            bar = _tab_bar(tabs, self.selected, width)
            state = self.state
            head = fit(f"zr live  {state.done}/{state.total} done, {len(state.running)} "
                       f"running" + (f", {state.failed} failed" if state.failed else ""), width)
            body_rows = max(1, rows - 3)
            body = []
            position = ""
            if self.order:
                pane = self.panes[self.order[self.selected]]
                lines = pane.visible_lines()
                self.scroll = min(self.scroll, max(0, len(lines) - body_rows))
                end = len(lines) - self.scroll
                shown = lines[max(0, end - body_rows):end]
                body = [printable(line, width) for line in shown]
                total = pane.count + (len(lines) - len(pane.lines))  # and a partial line
                position = (f"line {total - self.scroll}/{total}" if self.scroll
                            else f"{total} lines, following")
            help_line = fit(f" {position} · ←/→ switch · ↑/↓ PgUp/PgDn scroll · End follow · "
                            "q stop", width)
        lines = [head, bar] + body + [""] * (body_rows - len(body)) + \
            ["\x1b[2m" + help_line + "\x1b[0m"]
        frame = "\x1b[H" + "\r\n".join(line + "\x1b[K" for line in lines[:rows]) + "\x1b[J"
        with self.lock:
            if self._lent.is_set():
                return
            try:
                self.screen.write(frame)
            except (OSError, ValueError):
                pass


def _tab_bar(tabs: list, selected: int, width: int) -> str:
    """The tabs that fit in ``width`` columns, always including the selected
    one; a tab that does not fit is left out whole, so no escape sequence is
    ever split."""
    def visible(tab: str) -> int:
        return len(tab.replace("\x1b[7m", "").replace("\x1b[0m", ""))

    if not tabs:
        return ""
    first, used = selected, visible(tabs[selected])
    while first > 0 and used + visible(tabs[first - 1]) <= width:
        first -= 1
        used += visible(tabs[first])
    out = []
    used = 0
    for tab in tabs[first:]:
        if used + visible(tab) > width:
            break
        out.append(tab)
        used += visible(tab)
    return "".join(out)
