"""One task's pane in ``zr live``: its output as lines, how it is doing, how
far back it is scrolled, and how it looks in a cell of the screen.

The view feeds it from the run (main thread) and draws it from its own
thread, both under the view's lock; nothing here locks.
"""

from __future__ import annotations

import collections
import itertools
import time

from .terminal import fit, printable
from .units import seconds

KEEP_LINES = 10_000      # per pane; older lines scroll out of the buffer
LONGEST_LINE = 4096      # bytes kept of one line

_MARKS = {"success": "ok", "cached": "cached", "skipped": "skipped", "failed": "failed",
          "timed_out": "timed out", "interrupted": "interrupted", "blocked": "not run"}

FOCUSED_TITLE = "\x1b[7m"   # reverse video
OTHER_TITLE = "\x1b[4m"     # underlined: a rule between stacked panes
RESET = "\x1b[0m"


class Pane:
    """A task's lines (the last :data:`KEEP_LINES`) and state.

    ``scroll`` counts lines up from the newest: 0 follows the output. A pane
    scrolled back holds still while its task keeps writing.
    """

    __slots__ = ("name", "lines", "partial", "status", "exit_code", "duration", "started",
                 "finished", "count", "scroll")

    def __init__(self, name: str):
        self.name = name
        self.lines: collections.deque = collections.deque(maxlen=KEEP_LINES)
        self.partial = b""
        self.status = "running"
        self.exit_code = None
        self.duration = None
        self.started = time.monotonic()
        self.finished = None
        self.count = 0  # complete lines ever written
        self.scroll = 0

    # -- what the task did ---------------------------------------------------

    def feed(self, data: bytes) -> None:
        before = self.total()
        parts = (self.partial + data).split(b"\n")
        self.partial = parts.pop()[:LONGEST_LINE]
        self.lines.extend(part[:LONGEST_LINE] for part in parts)
        self.count += len(parts)
        if self.scroll:
            self.scroll += self.total() - before

    def start(self) -> None:
        self.started = time.monotonic()
        self.status = "running"
        self.finished = None

    def finish(self, result) -> None:
        self.status = result.status
        self.exit_code = result.exit_code
        self.duration = result.duration
        self.finished = time.monotonic()

    @property
    def running(self) -> bool:
        return self.status == "running"

    def total(self) -> int:
        """Lines written so far, an unfinished last one included."""
        return self.count + (1 if self.partial else 0)

    def last_lines(self, count: int) -> list:
        return self.window(count, scroll=0)

    # -- scrolling -----------------------------------------------------------

    def scroll_by(self, lines: int) -> None:
        """Positive: back in time. Clamped when drawn, when the height is known."""
        self.scroll = max(0, self.scroll + lines)

    def window(self, rows: int, scroll: int | None = None) -> list:
        """The ``rows`` lines ending ``scroll`` lines above the newest (the
        pane's own scroll by default, clamped to what is kept)."""
        kept = len(self.lines) + (1 if self.partial else 0)
        if scroll is None:
            self.scroll = scroll = max(0, min(self.scroll, kept - rows))
        newest_first = itertools.chain([self.partial] if self.partial else (),
                                       reversed(self.lines))
        shown = list(itertools.islice(newest_first, scroll, scroll + rows))
        shown.reverse()
        return shown

    # -- drawing -------------------------------------------------------------

    def outcome(self, now: float) -> str:
        """``running 4.2s``, ``ok 1.0s``, ``failed (exit 3) 0.2s``."""
        took = self.duration if self.duration is not None else now - self.started
        mark = _MARKS.get(self.status, self.status)
        if self.status == "failed" and self.exit_code is not None:
            mark += (f" (exit {self.exit_code})" if self.exit_code >= 0
                     else f" (signal {-self.exit_code})")
        return f"{mark} {seconds(took)}"

    def render(self, number: int, focused: bool, width: int, height: int,
               now: float) -> list:
        """``height`` strings of exactly ``width`` columns: a title bar (task,
        status, duration, position in the output), then the lines shown."""
        shown = self.window(max(0, height - 1))
        total = self.total()
        where = (f"line {total - self.scroll}/{total}" if self.scroll
                 else f"{total} line" + ("" if total == 1 else "s"))
        head, outcome = f"{'>' if focused else ' '}{number}:", " " + self.outcome(now)
        name = self.name
        if len(head) + len(name) + len(outcome) > width >= len(head) + len(outcome) + 4:
            name = fit(name, width - len(head) - len(outcome))  # a long name gives way
        left = head + name + outcome
        if len(left) + 2 + len(where) <= width:
            title = left + where.rjust(width - len(left))
        else:
            title = fit(left, width)
        style = FOCUSED_TITLE if focused else OTHER_TITLE
        body = [fit(printable(line, width), width) for line in shown]
        return [style + title + RESET] + body + [" " * width] * (height - 1 - len(body))
