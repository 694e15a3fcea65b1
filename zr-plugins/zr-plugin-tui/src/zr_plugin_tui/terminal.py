"""The terminal itself: when it counts as one, its size, raw keys, and
putting it back as it was.

Every full-screen view enters through :class:`Screen`, whose exit (normal,
exception, Ctrl-C, SIGTERM) restores the saved termios modes, shows the
cursor and leaves the alternate screen: a terminal is never left broken.
"""

from __future__ import annotations

import atexit
import os
import re
import select
import signal
import sys
import termios
import tty

# CSI sequences (colours, cursor moves), OSC sequences (titles, links) and
# lone control characters: what must not reach a line we truncate and draw.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.|[\x00-\x08\x0b-\x1f\x7f]")

# The start of an escape sequence at the end of a read: wait for the rest
# before deciding it was the Esc key.
_INCOMPLETE = re.compile(rb"\x1b(\[[0-?]*[ -/]*|O)?$")

SHOW_CURSOR = "\x1b[?25h"
HIDE_CURSOR = "\x1b[?25l"
ALT_SCREEN_ON = "\x1b[?1049h"
ALT_SCREEN_OFF = "\x1b[?1049l"
RESET_STYLE = "\x1b[0m"


def env_allows_cursor_moves() -> bool:
    """False where users expect plain lines even on a terminal: CI
    (``CI`` set and not false) and ``TERM=dumb``."""
    ci = os.environ.get("CI", "").strip().lower()
    if ci and ci not in ("0", "false", "no"):
        return False
    return os.environ.get("TERM", "") != "dumb"


def is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def size(fd: int = 1) -> tuple:
    """``(columns, rows)``; 80x24 when ``fd`` is not a terminal."""
    try:
        columns, rows = os.get_terminal_size(fd)
    except OSError:
        return 80, 24
    return max(columns, 10), max(rows, 3)


def printable(data: bytes, limit: int) -> str:
    """``data`` as one line of at most ``limit`` characters, without escape
    sequences or control characters (tabs become spaces)."""
    data = data[: limit * 4].replace(b"\t", b"    ").replace(b"\r", b"")
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")[:limit]


def fit(text: str, width: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` columns."""
    if len(text) > width:
        return text[: max(0, width - 1)] + "…" if width > 0 else ""
    return text.ljust(width)


class Keys:
    """Reads keys from a terminal fd in cbreak/raw mode, one name per key:
    printable characters as themselves, and ``up``, ``down``, ``left``,
    ``right``, ``pgup``, ``pgdn``, ``home``, ``end``, ``enter``, ``tab``,
    ``shift-tab``, ``esc``, ``backspace``, ``ctrl-c``, ``ctrl-u`` and ``ctrl-w``."""

    _SEQUENCES = {
        b"\x1b[A": "up", b"\x1b[B": "down", b"\x1b[C": "right", b"\x1b[D": "left",
        b"\x1bOA": "up", b"\x1bOB": "down", b"\x1bOC": "right", b"\x1bOD": "left",
        b"\x1b[5~": "pgup", b"\x1b[6~": "pgdn", b"\x1b[H": "home", b"\x1b[F": "end",
        b"\x1b[1~": "home", b"\x1b[4~": "end", b"\x1bOH": "home", b"\x1bOF": "end",
        b"\x1b[Z": "shift-tab",
    }
    _SINGLE = {b"\r": "enter", b"\n": "enter", b"\t": "tab", b"\x7f": "backspace",
               b"\x08": "backspace", b"\x03": "ctrl-c", b"\x15": "ctrl-u", b"\x17": "ctrl-w",
               b"\x0e": "down", b"\x10": "up", b"\x1b": "esc"}

    def __init__(self, fd: int):
        self.fd = fd
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)

    def wake(self) -> None:
        """Make a waiting :meth:`read` return now, reading nothing (before a
        task is given the terminal: its input must not be taken as keys)."""
        try:
            os.write(self._wake_w, b"x")
        except BlockingIOError:
            pass

    def close(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            os.close(fd)

    def read(self, timeout: float | None) -> list:
        """The keys typed within ``timeout`` seconds (maybe none)."""
        ready, _, _ = select.select([self.fd, self._wake_r], [], [], timeout)
        if self._wake_r in ready:
            try:
                os.read(self._wake_r, 512)
            except BlockingIOError:
                pass
            return []
        if not ready:
            return []
        try:
            data = os.read(self.fd, 1024)
        except (BlockingIOError, InterruptedError):
            return []
        if not data:
            return ["eof"]
        while _INCOMPLETE.search(data) and select.select([self.fd], [], [], 0.05)[0]:
            more = os.read(self.fd, 1024)  # the rest of an escape sequence
            if not more:
                break
            data += more
        return self._split(data)

    def _split(self, data: bytes) -> list:
        keys = []
        i = 0
        while i < len(data):
            if data[i:i + 1] == b"\x1b" and i + 1 < len(data):
                for sequence, name in self._SEQUENCES.items():
                    if data.startswith(sequence, i):
                        keys.append(name)
                        i += len(sequence)
                        break
                else:
                    match = re.match(rb"\x1b\[[0-?]*[ -/]*[@-~]", data[i:])
                    i += len(match.group()) if match else 1  # an unknown sequence
                    if not match:
                        keys.append("esc")
                continue
            byte = data[i:i + 1]
            if byte in self._SINGLE:
                keys.append(self._SINGLE[byte])
                i += 1
                continue
            # a whole UTF-8 character
            length = 1 + (byte[0] >= 0xC0) + (byte[0] >= 0xE0) + (byte[0] >= 0xF0)
            keys.append(data[i:i + length].decode("utf-8", "replace"))
            i += length
        return keys


class Screen:
    """A context in which ``fd`` (a terminal) is in raw or cbreak mode,
    optionally on the alternate screen with the cursor hidden.

    ``raw=True`` turns off signals from keys too (Ctrl-C arrives as the key
    ``ctrl-c``); the view decides what it means. The saved modes come back
    on exit, on an exception and at interpreter exit; with
    ``own_signals=True`` (a view outside a run: the picker) also on SIGTERM
    and SIGHUP. During a run the kernel's loop owns those signals and ends
    the run, whose last hook closes the view.
    """

    def __init__(self, fd: int, out, *, alternate: bool = True, raw: bool = True,
                 own_signals: bool = False):
        self.fd = fd
        self.out = out
        self.alternate = alternate
        self.raw = raw
        self.own_signals = own_signals
        self._saved = None
        self._old_handlers: dict = {}

    def __enter__(self) -> "Screen":
        self._saved = termios.tcgetattr(self.fd)
        if self.raw:
            mode = termios.tcgetattr(self.fd)
            mode[0] &= ~(termios.IXON | termios.ICRNL)  # Ctrl-S/Q are keys; Enter is \r
            mode[3] &= ~(termios.ICANON | termios.ECHO | termios.ISIG | termios.IEXTEN)
            mode[6][termios.VMIN] = 1
            mode[6][termios.VTIME] = 0
            termios.tcsetattr(self.fd, termios.TCSANOW, mode)
        else:
            tty.setcbreak(self.fd, termios.TCSANOW)
        for signum in (signal.SIGTERM, signal.SIGHUP) if self.own_signals else ():
            self._old_handlers[signum] = signal.signal(signum, self._on_fatal_signal)
        atexit.register(self.restore)  # even if the view's own exit path never runs
        self.write((ALT_SCREEN_ON if self.alternate else "") + HIDE_CURSOR)
        return self

    def write(self, text: str) -> None:
        self.out.write(text.encode("utf-8", "replace"))
        self.out.flush()

    def restore(self) -> None:
        """Put the terminal back (idempotent)."""
        if self._saved is None:
            return
        try:
            self.write(RESET_STYLE + SHOW_CURSOR + (ALT_SCREEN_OFF if self.alternate else ""))
        except OSError:
            pass
        try:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
        except termios.error:
            pass
        self._saved = None
        atexit.unregister(self.restore)
        for signum, handler in self._old_handlers.items():
            try:
                signal.signal(signum, handler)
            except ValueError:  # not the main thread (atexit, a view's thread)
                pass
        self._old_handlers.clear()

    def _on_fatal_signal(self, signum, frame) -> None:
        self.restore()
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    def __exit__(self, *exc) -> None:
        self.restore()


def tty_streams():
    """``(fd to read keys from, binary writer to draw on)`` for a view, or
    None when stdin or stdout is not a terminal."""
    if not (is_terminal(0) and is_terminal(1)):
        return None
    return 0, sys.stdout.buffer
