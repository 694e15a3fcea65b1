"""The progress block: a few lines below the streamed output, redrawn in place.

It is the printer's footer (``Printer.set_footer``): every write of task
output or of zr's own lines comes through :meth:`ProgressBlock.write`, which
erases the block, lets the write through and draws the block again, in as
few ``write`` calls as the streams allow. A ticker thread redraws it twice a
second so elapsed times move while nothing is written. The block never ends
with a newline and is erased (not scrolled away) at the end of the run, so
nothing of it stays on the screen, in the scrollback, or in a log.
"""

from __future__ import annotations

import threading
import time

from .terminal import fit, size
from .units import seconds

_TICK = 0.5
_FRESH = 0.05  # seconds a rendering is reused while output streams
_GAP = 0.03    # seconds between two drawings of the block under streaming output
_MAX_TASK_LINES = 8


class ProgressBlock:
    """Draws ``state`` (a :class:`~zr_plugin_tui.state.RunState`) on ``out``
    (the binary writer of a terminal, zr's stderr), under the printer's
    writes. ``footer_line`` is an optional callable giving one more line
    (the key help of ``zr interactive-run``)."""

    def __init__(self, state, out, *, fd: int, color: bool, footer_line=None):
        self.state = state
        self.out = out
        self.fd = fd
        self.color = color
        self.footer_line = footer_line
        self.lock = threading.RLock()
        self._drawn = 0            # lines of the block on screen now
        self._mid_line = False     # the last write ended inside a line
        self._suspended = 0
        self._cache = (None, b"")  # (state version and width, rendered block)
        self._rendered_at = 0.0
        self._eta = None
        self._eta_at = float("-inf")
        self._drawn_at = 0.0
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="zr-progress", daemon=True)

    # -- the printer's footer protocol -----------------------------------

    def task_output(self, name: str, stream: int, data: bytes) -> None:
        self.state.output(name, data)

    def write(self, fh, data: bytes) -> None:
        with self.lock:
            try:
                if fh is self.out:
                    fh.write(self._erase() + data + self._draw_after(data))
                    fh.flush()
                else:
                    erase = self._erase()
                    if erase:
                        self.out.write(erase)
                        self.out.flush()
                    fh.write(data)
                    fh.flush()
                    block = self._draw_after(data)
                    if block:
                        self.out.write(block)
                        self.out.flush()
            except (BrokenPipeError, ValueError):
                pass

    # -- life cycle ---------------------------------------------------------

    def start(self) -> None:
        self._ticker.start()

    def close(self) -> None:
        """Erase the block for good and stop the ticker."""
        self._stop.set()
        self._wake.set()
        if self._ticker.is_alive():
            self._ticker.join(2)
        with self.lock:
            self._emit(self._erase())

    def suspend(self) -> None:
        """Erase the block until :meth:`resume` (a task owns the terminal)."""
        with self.lock:
            self._suspended += 1
            self._emit(self._erase())

    def resume(self) -> None:
        with self.lock:
            self._suspended = max(0, self._suspended - 1)
            self.redraw()

    def redraw(self) -> None:
        with self.lock:
            if not self._mid_line and not self._suspended:
                self._drawn_at = time.monotonic()
                self._emit(self._erase() + self._render(force=True))

    # -- drawing ------------------------------------------------------------

    def _tick(self) -> None:
        """Redraw every ``_TICK`` (elapsed times move), and soon after a burst
        of output that left the block erased."""
        while not self._stop.is_set():
            woken = self._wake.wait(_TICK)
            if self._stop.is_set():
                return
            if woken:
                self._wake.clear()
                time.sleep(_GAP)  # let the burst go on without us
            with self.lock:
                if not woken or not self._drawn:
                    self.redraw()

    def _emit(self, data: bytes) -> None:
        if data:
            try:
                self.out.write(data)
                self.out.flush()
            except (BrokenPipeError, ValueError, OSError):
                pass

    def _erase(self) -> bytes:
        drawn = self._drawn
        if not drawn:
            return b""
        self._drawn = 0
        up = b"\x1b[%dA" % (drawn - 1) if drawn > 1 else b""
        return b"\r" + up + b"\x1b[J"

    def _draw_after(self, data: bytes) -> bytes:
        """The block to draw after ``data``: nothing inside a line, and
        nothing when it was drawn less than ``_GAP`` ago (a chatty task
        would have the terminal redraw it per chunk); the ticker draws it
        then, once the burst pauses."""
        if data:
            self._mid_line = not data.endswith(b"\n")
        if self._mid_line or self._suspended:
            return b""
        now = time.monotonic()
        if now - self._drawn_at < _GAP:
            self._wake.set()
            return b""
        self._drawn_at = now
        return self._render()

    def _render(self, force: bool = False) -> bytes:
        """The block's bytes. Re-rendered on a tick, on a resize, or when the
        state changed and the last rendering is older than ``_FRESH``; else
        the last rendering, so a chatty task pays a copy per write."""
        columns, rows = size(self.fd)
        now = time.monotonic()
        key, block = self._cache
        if force or key is None or key[1:] != (columns, rows) or (
                key[0] != self.state.version and now - self._rendered_at > _FRESH):
            if force or self._eta_at + _TICK <= now:
                self._eta = self.state.eta(now)
                self._eta_at = now
            block = "\n".join(self._lines(columns - 1, rows, now)).encode("utf-8", "replace")
            self._cache = ((self.state.version, columns, rows), block)
            self._rendered_at = now
        self._drawn = block.count(b"\n") + 1 if block else 0
        return block

    def _style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def _lines(self, width: int, rows: int, now: float) -> list:
        """Plain text fitted to ``width`` first, colour added after, so that
        no escape sequence is ever cut."""
        state = self.state
        with state.lock:
            running = sorted(state.running.values(), key=lambda r: r.started)
            parts = [f"{state.done}/{state.total} done", f"{len(running)} running"]
            if state.failed:
                parts.append(f"{state.failed} failed")
            if state.cached:
                parts.append(f"{state.cached} cached")
            if self._eta is not None:
                parts.append(f"ETA {seconds(self._eta)}")
            head = "zr " + ", ".join(parts)
            if len(head) <= width:
                head = self._style("zr", "1") + head[2:]
                if state.failed:
                    failed = f"{state.failed} failed"
                    head = head.replace(failed, self._style(failed, "31"), 1)
            else:
                head = fit(head, width)
            lines = [head]
            room = max(0, min(_MAX_TASK_LINES, rows // 3) - 1)
            shown = running if len(running) <= room + 1 else running[:room]
            name_width = min(24, max((len(r.name) for r in shown), default=0))
            for task in shown:
                status = seconds(task.elapsed(now)).rjust(6) + (" paused" if task.paused_at
                                                                else "")
                rest = width - name_width - len(status) - 5
                if rest < 0:
                    lines.append(fit(f"  {task.name} {status}", width))
                    continue
                last = state.last_line(task.name, rest)
                lines.append(f"  {fit(task.name, name_width)} {self._style(status, '2')}"
                             f"  {last}".rstrip())
            if len(shown) < len(running):
                lines.append(fit(f"  … {len(running) - len(shown)} more running", width))
        if self.footer_line is not None:
            lines.append(fit(self.footer_line(), width).rstrip())
        return lines
