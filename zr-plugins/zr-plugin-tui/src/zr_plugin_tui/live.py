"""``zr live``: the run full-screen, a pane per task in a grid.

The view is the printer's footer for the run (so it receives every chunk
of task output, before prefixing) and keeps each task's lines in its
:class:`~.pane.Pane`; a UI thread reads keys and redraws at most every
50 ms, laying the panes out with :mod:`.grid` for the terminal's size of
the moment. The scheduler keeps running on the main thread: Ctrl-C and
``q`` are turned into the SIGINT zr handles on any run (forwarded to the
tasks, exit 130). When the run ends the view closes, the terminal is
restored, and the last lines of failed tasks are printed above the usual
summary.

Which panes are shown: all of them when they fit. When they do not, the
view *follows* the run (the focused pane, then the running ones, then
those that finished last) until the user moves the focus; from then on it
shows a window of consecutive panes that keeps the focused one in it.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from . import grid
from .pane import Pane
from .state import RunState
from .terminal import Keys, Screen, fit, size

_FRAME = 0.05
_TAIL_AFTER = 20         # lines of a failed task printed after the view
_SCROLL_KEYS = {"up": 1, "k": 1, "down": -1, "j": -1}
_HELP = "Tab/←/→ focus · ↑/↓ PgUp/PgDn scroll · End newest · z zoom · q stop"


class LiveView:
    """The view of one run (in ``run.state['tui']``)."""

    def __init__(self, run):
        self.run = run
        self.printer = run.printer
        self.state = RunState(run.plan)
        self.lock = threading.RLock()
        self.panes: dict = {}
        self.order: list = []         # pane names, in the plan's order
        self._rank = {name: index for index, name in enumerate(run.plan)}
        self.focus = None             # the focused pane's name
        self.follow = True            # until the user moves the focus
        self.zoomed = False
        self.first = 0                # the window's first pane once not following
        self.shown: list = []         # the panes of the last frame
        self.pages: dict = {}         # pane name -> output rows it had in the last frame
        self.messages: list = []      # zr's own lines, printed again after the view
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
            pane = self.panes.get(name) or self._add_pane(name)
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
            pane.start()
            if self.follow and not (self.focus and self.panes[self.focus].running
                                    and self.focus != task.name):
                self.focus = task.name
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
            pane.finish(result)
            if self.follow and self.focus == task.name:
                running = [name for name in self.order if self.panes[name].running]
                if running:
                    self.focus = running[0]
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
                out.write(f"zr: last lines of {name}:\n".encode())
                for line in pane.last_lines(_TAIL_AFTER):
                    out.write(b"  " + line + b"\n")
        out.flush()

    # -- panes -------------------------------------------------------------

    def _add_pane(self, name: str) -> Pane:
        """A pane for ``name``, placed by the task's position in the plan so
        that the panes' numbers do not depend on which task started first."""
        pane = Pane(name)
        self.panes[name] = pane
        rank = self._rank.get(name, len(self._rank))
        index = next((i for i, other in enumerate(self.order)
                      if self._rank.get(other, len(self._rank)) > rank), len(self.order))
        self.order.insert(index, name)
        if self.focus is None:
            self.focus = name
        return pane

    def _choose_shown(self, room: int) -> list:
        """The names of the panes drawn in a frame with room for ``room``."""
        if self.zoomed and self.focus:
            return [self.focus]
        if len(self.order) <= room:
            return list(self.order)
        if self.follow:
            def priority(name):
                pane = self.panes[name]
                if name == self.focus:
                    return (0, 0.0)
                if pane.running:
                    return (1, -pane.started)
                return (2, -(pane.finished or 0.0))

            chosen = set(sorted(self.order, key=priority)[:room])
            return [name for name in self.order if name in chosen]
        focused = self.order.index(self.focus)
        self.first = max(0, min(self.first, focused, len(self.order) - room))
        self.first = max(self.first, focused - room + 1)
        return self.order[self.first:self.first + room]

    # -- keys --------------------------------------------------------------

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
            self._dirty = True
            if key in ("ctrl-c", "q"):
                os.kill(os.getpid(), signal.SIGINT)  # what zr does on any Ctrl-C
                return
            if not self.order:
                return
            index = self.order.index(self.focus)
            pane = self.panes[self.focus]
            page = max(1, self.pages.get(self.focus, size(1)[1] - 3) - 1)
            if key in ("tab", "right", "l"):
                self._move_focus(index + 1)
            elif key in ("shift-tab", "left", "h"):
                self._move_focus(index - 1)
            elif key.isdigit() and key != "0" and int(key) <= len(self.order):
                self._move_focus(int(key) - 1)
            elif key in ("z", "enter"):
                self.zoomed = not self.zoomed
                self._stop_following()
            elif key == "esc":
                self.zoomed = False
            elif key in _SCROLL_KEYS:
                pane.scroll_by(_SCROLL_KEYS[key])
            elif key == "pgup":
                pane.scroll_by(page)
            elif key == "pgdn":
                pane.scroll_by(-page)
            elif key == "home":
                pane.scroll = pane.total()
            elif key == "end":
                pane.scroll = 0

    def _move_focus(self, index: int) -> None:
        self._stop_following()
        self.focus = self.order[index % len(self.order)]

    def _stop_following(self) -> None:
        """The user steers from now on: keep the panes of the last frame in
        view (the window starts at the first of them)."""
        if self.follow:
            self.follow = False
            if self.shown and self.shown[0] in self.panes:
                self.first = self.order.index(self.shown[0])

    # -- drawing -----------------------------------------------------------

    def _draw(self) -> None:
        columns, rows = size(1)
        width = columns - 1  # the last column would wrap on some terminals
        body_rows = max(1, rows - 2)
        now = time.monotonic()
        with self.lock:
            self._dirty = False
            room = 1 if self.zoomed else grid.capacity(width, body_rows)
            self.shown = self._choose_shown(room)
            cells = grid.layout(len(self.shown), width, body_rows)
            body = [[] for _ in range(body_rows)]
            self.pages = {}
            for name, cell in zip(self.shown, cells):
                number = self.order.index(name) + 1
                drawn = self.panes[name].render(number, name == self.focus, cell.width,
                                                cell.height, now)
                self.pages[name] = cell.height - 1
                for row, text in enumerate(drawn):
                    body[cell.y + row].append(text)
            head = fit(self._headline(), width)
        lines = [head] + ["│".join(parts) if parts else "" for parts in body] + \
            ["\x1b[2m" + fit(" " + _HELP, width) + "\x1b[0m"]
        frame = "\x1b[H" + "\r\n".join(line + "\x1b[K" for line in lines[:rows]) + "\x1b[J"
        with self.lock:
            if self._lent.is_set():
                return
            try:
                self.screen.write(frame)
            except (OSError, ValueError):
                pass

    def _headline(self) -> str:
        state = self.state
        text = (f"zr live  {state.done}/{state.total} done, {len(state.running)} running"
                + (f", {state.failed} failed" if state.failed else ""))
        if self.zoomed:
            text += "  ·  zoomed: z for all panes"
        elif len(self.shown) < len(self.order):
            text += f"  ·  {len(self.shown)} of {len(self.order)} panes: Tab for the others"
        return text
