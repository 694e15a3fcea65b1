"""``--progress auto|tty|plain|none`` for ``zr run`` and everything that
runs tasks through the run hooks.

- ``tty``: the live block of :mod:`.block` on stderr.
- ``plain``: one line per finished task (``[3/10] build succeeded in
  1.2s``), for logs.
- ``none``: nothing beyond the task output.
- ``auto`` (default): ``tty`` when stdout and stderr are terminals, ``CI``
  is unset (or false) and ``TERM`` is not ``dumb``; else ``none``, so piped
  output, CI logs and ``--format json`` are exactly what they are without
  this plugin. ``--quiet`` and ``--log-prefix none`` (tasks write to the
  terminal directly) also mean no block. ``NO_COLOR`` keeps the block and
  drops its colours.
"""

from __future__ import annotations

import os
import threading

from .state import RunState
from .terminal import env_allows_cursor_moves, is_terminal

STATE_KEY = "tui"


def choose(mode: str, printer) -> str:
    """The mode actually used for ``--progress mode`` with this printer."""
    if mode != "auto":
        return mode
    if (printer is None or printer.quiet or printer.json_mode or printer.passes_through
            or not (is_terminal(1) and is_terminal(2)) or not env_allows_cursor_moves()):
        return "none"
    return "tty"


def run_jobs(run) -> int:
    return (run.options.get("jobs") or run.config.setting("jobs") or os.cpu_count() or 1) \
        if run.config is not None else 1


class Progress:
    """The progress of one run, kept in ``run.state['tui']``: the hooks of
    :mod:`.plugin` call it; it owns the block (``tty``) or writes lines
    (``plain``)."""

    def __init__(self, run, mode: str, *, footer_line=None):
        self.run = run
        self.mode = mode
        self.printer = run.printer
        self.state = RunState(run.plan, run_jobs(run))
        self.block = None
        if mode == "tty":
            from .block import ProgressBlock

            self.block = ProgressBlock(self.state, self.printer.err, fd=2,
                                       color=self.printer.color, footer_line=footer_line)
            self.printer.set_footer(self.block)
            self.block.start()
            threading.Thread(target=self._load_expected, daemon=True,
                             name="zr-progress-eta").start()

    def task_started(self, task) -> None:
        self.state.started(task.name)
        if task.interactive and self.block is not None:
            self.block.suspend()  # the task owns the terminal

    def task_finished(self, task, result) -> None:
        self.state.finished(task.name, result.status)
        if task.interactive and self.block is not None:
            self.block.resume()
        if self.mode == "plain":
            from .units import seconds

            word = {"success": "succeeded", "failed": "failed", "timed_out": "timed out",
                    "cached": "cached", "skipped": "skipped", "interrupted": "interrupted",
                    "blocked": "not run"}.get(result.status, result.status)
            took = f" in {seconds(result.duration)}" if result.attempts else ""
            self.printer.info(f"[{self.state.done}/{self.state.total}] {task.name} {word}{took}")

    def task_failed(self, task, result):
        """Nothing to ask: the task fails as usual."""
        return None

    def close(self) -> None:
        if self.block is not None:
            self.printer.set_footer(None)
            self.block.close()
            self.block = None

    def _load_expected(self) -> None:
        """Durations of the last successful runs, from the history plugin's
        database when it is installed (an ETA is a bonus: any failure just
        leaves it out)."""
        try:
            from zr_plugin_history.store import connect, last_success_duration
        except ImportError:
            return
        config = self.run.config
        try:
            conn = connect(create=False)
        except Exception:
            return
        try:
            found = {}
            for name in self.run.plan:
                value = last_success_duration(conn, config.path, name)
                if value is not None:
                    found[name] = float(value)
        except Exception:
            return
        finally:
            conn.close()
        with self.state.lock:
            self.state.expected = found
            self.state.version += 1


def start(run, option: str) -> None:
    """Show the view ``option`` names (a ``--progress`` mode, ``live`` or
    ``interactive``) for ``run``; its hooks find it in ``run.state``."""
    if option == "live":
        from .live import LiveView

        run.state[STATE_KEY] = LiveView(run)
        return
    if option == "interactive":
        from .interactive import InteractiveRun

        run.state[STATE_KEY] = InteractiveRun(run)
        return
    mode = choose(option, run.printer)
    if mode != "none":
        run.state[STATE_KEY] = Progress(run, mode)
