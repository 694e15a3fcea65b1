"""Download progress on a terminal: one line redrawn in place on stderr.

Off the terminal (CI logs, tests) there is no meter; the install's own
lines (``downloading ...``, ``installed ... in 2.1s``) say what happened.
"""

from __future__ import annotations

import sys
import time


def meter_factory(stream=None, quiet: bool = False):
    """A ``progress(label)`` factory, or None when nothing should be drawn."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        return None
    return lambda label: Meter(label, stream)


class Meter:
    def __init__(self, label: str, stream):
        self.label = label
        self.stream = stream
        self.last = 0.0

    def __call__(self, done: int, total) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done != total:
            return
        self.last = now
        if total:
            text = f"{done / total:4.0%} of {total / 1e6:.1f} MB"
        else:
            text = f"{done / 1e6:.1f} MB"
        self.stream.write(f"\rzr: {self.label}: {text}\x1b[K")
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()
