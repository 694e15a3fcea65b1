"""How zr shows task output and its own lines.

Task output is streamed as it arrives, each line prefixed with the task's
name (coloured on a terminal, plain under ``NO_COLOR``/``--no-color``).
Prefixing works on whole chunks with ``bytes.replace`` rather than line by
line in Python, so a task printing 10 MB costs little more than copying it.

Modes: ``stream`` (default), ``group`` (a task's output in one block when it
ends) and ``errors-only`` (only failed tasks' output). zr's own lines go to
stderr; ``--quiet`` silences them but never a task's output or an error.

A *footer* (:meth:`Printer.set_footer`) is the extension point for a live
status shown below the streamed output (a progress block): while one is
installed every write goes through it, so it can erase itself, let the
write through and draw itself again. Without one a write costs one
attribute test more.
"""

from __future__ import annotations

import os
import sys

_PALETTE = (36, 35, 33, 32, 34, 96, 95, 93, 92, 94)
_RESET = b"\x1b[0m"


def use_color(no_color_flag: bool, stream=None) -> bool:
    if no_color_flag or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("CLICOLOR_FORCE"):
        return True
    stream = stream or sys.stderr
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Printer:
    """Writes prefixed task output and zr's own messages.

    ``stdout``/``stderr`` are binary file descriptors' writers (defaults:
    the process's). With ``json_mode`` task stdout goes to stderr so that
    stdout carries only the machine-readable result.
    """

    def __init__(self, *, color: bool = False, quiet: bool = False, verbose: bool = False,
                 mode: str = "stream", json_mode: bool = False, prefix: bool = True,
                 stdout=None, stderr=None):
        self.color = color
        self.quiet = quiet
        self.verbose = verbose
        self.mode = mode
        self.prefix_output = prefix
        self.out = stdout or sys.stdout.buffer
        self.err = stderr or sys.stderr.buffer
        self.json_mode = json_mode
        if json_mode:
            self.out = self.err
        self._prefixes: dict = {}
        self._at_line_start: dict = {}
        self._held: dict = {}
        self._width = 0
        self.footer = None

    def set_footer(self, footer) -> None:
        """Route every write through ``footer`` (None removes it).

        ``footer.write(fh, data)`` must write ``data`` to ``fh`` (the
        printer's stdout or stderr writer), typically erasing its own lines
        before and drawing them again after. ``footer.task_output(name,
        stream, data)`` sees each chunk of task output as the task wrote it
        (before prefixing or holding back), e.g. to show its last line.
        Install it before the run's first scheduler is made: with a footer,
        tasks never write to the terminal directly (``passes_through`` is
        False), since that would tear the footer's lines.
        """
        self.footer = footer

    # -- task output ----------------------------------------------------

    @property
    def passes_through(self) -> bool:
        """True when tasks may write to zr's own stdout/stderr directly: no
        prefix to add, nothing to hold back, stdout not reserved for JSON."""
        return (not self.prefix_output and self.mode == "stream" and not self.json_mode
                and self.footer is None)

    def set_names(self, names) -> None:
        """Fix prefix widths and colours for the tasks of this run."""
        names = list(names)
        self._width = min(max((len(n) for n in names), default=0), 32)
        for i, name in enumerate(names):
            self._prefix(name, i)

    def _prefix(self, name: str, index: int | None = None) -> bytes:
        prefix = self._prefixes.get(name)
        if prefix is None:
            if index is None:
                index = len(self._prefixes)
            label = name.ljust(self._width).encode()
            if self.color:
                code = _PALETTE[index % len(_PALETTE)]
                prefix = b"\x1b[%dm" % code + label + b" |" + _RESET + b" "
            else:
                prefix = label + b" | "
            self._prefixes[name] = prefix
        return prefix

    def task_output(self, name: str, stream: int, data: bytes) -> None:
        """Show a chunk of a task's output (``stream`` 1 = stdout, 2 = stderr)."""
        if not data:
            return
        if self.footer is not None:
            self.footer.task_output(name, stream, data)
        if self.prefix_output:
            data = self._prefixed(name, stream, data)
        if self.mode == "stream":
            self._write(self.out if stream == 1 else self.err, data)
        else:
            self._held.setdefault(name, []).append((stream, data))

    def _prefixed(self, name: str, stream: int, data: bytes) -> bytes:
        prefix = self._prefix(name)
        key = (name, stream)
        start = self._at_line_start.get(key, True)
        body = data.replace(b"\n", b"\n" + prefix)
        ends_with_newline = data.endswith(b"\n")
        if ends_with_newline:
            body = body[: len(body) - len(prefix)]
        self._at_line_start[key] = ends_with_newline
        return (prefix + body) if start else body

    def end_task_output(self, name: str, ok: bool) -> None:
        """A task finished: end a dangling line; flush held output per mode."""
        for stream in (1, 2):
            if not self._at_line_start.get((name, stream), True):
                self.task_output(name, stream, b"\n")
        held = self._held.pop(name, ())
        if self.mode == "group" or (self.mode == "errors-only" and not ok):
            for stream, data in held:
                self._write(self.out if stream == 1 else self.err, data)

    def _write(self, fh, data: bytes) -> None:
        if self.footer is not None:
            self.footer.write(fh, data)
            return
        try:
            fh.write(data)
            fh.flush()
        except BrokenPipeError:
            pass

    # -- zr's own lines -------------------------------------------------

    def _style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def info(self, message: str) -> None:
        if not self.quiet:
            self._write(self.err, f"{self._style('zr', '2')}: {message}\n".encode())

    def debug(self, message: str) -> None:
        if self.verbose and not self.quiet:
            self.info(message)

    def warn(self, message: str) -> None:
        self._write(self.err, f"{self._style('zr: warning', '33')}: {message}\n".encode())

    def error(self, message: str) -> None:
        self._write(self.err, f"{self._style('zr: error', '31;1')}: {message}\n".encode())

    def status(self, word: str, ok: bool | None) -> str:
        code = {True: "32", False: "31", None: "33"}[ok]
        return self._style(word, code)


def print_error(message: str, no_color: bool = False) -> None:
    """An error before a Printer exists (bad config, bad usage);
    ``no_color``: ``--no-color`` was on the command line."""
    color = use_color(no_color)
    head = "\x1b[31;1mzr: error\x1b[0m" if color else "zr: error"
    sys.stderr.write(f"{head}: {message}\n")
    sys.stderr.flush()
