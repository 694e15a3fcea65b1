"""The scheduler's one wait loop: a poll set, a heap of timers, signals and
a thread-safe wake-up, and nothing about tasks.

Every source of work ends up here: a child's output pipe or exit fd (a
pidfd) in the poll set; a timeout, kill grace period or retry delay in the
timer heap; a signal through ``signal.set_wakeup_fd``; an executor's thread
or a terminal view calling :meth:`EventLoop.call_soon_threadsafe`, which
queues a callback and writes one byte to the wake-up pipe. One
``poll()`` waits on all of it, so no thread, no polling sleep and no
asyncio sit on the hot path, and nothing a thread does ever runs anywhere
but on the loop's own thread.
"""

from __future__ import annotations

import heapq
import os
import select
try:  # the C module itself: signal.py only adds enum wrappers, and importing
    import _signal as signal  # enum costs more than a trivial run's scheduling
except ImportError:  # pragma: no cover - other Python implementations
    import signal
import time
from collections import deque

_MISSING = object()
_MAX_POLL_MS = 2**31 - 1
# Signals that stop a run (as Ctrl-C does); the loop counts them. Adding one
# here is all it takes to have it handled.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))


class Poller:
    """``select.poll`` with data per fd: what the loop needs of ``selectors``,
    without importing it (and what it imports) on every run."""

    __slots__ = ("_poll", "_data")

    def __init__(self):
        self._poll = select.poll()
        self._data: dict = {}

    def register(self, fd: int, data) -> None:
        self._poll.register(fd, select.POLLIN)
        self._data[fd] = data

    def unregister(self, fd: int) -> None:
        if self._data.pop(fd, _MISSING) is not _MISSING:
            self._poll.unregister(fd)

    def select(self, timeout):
        """The data of the ready fds; ``timeout`` in seconds (None: forever)."""
        # poll() takes a C int of milliseconds: a month-long timeout waits
        # in turns of at most ~24 days (the caller's loop waits again).
        ms = None if timeout is None else min(max(0, int(timeout * 1000 + 0.999)), _MAX_POLL_MS)
        data = self._data
        return [data[fd] for fd, _ in self._poll.poll(ms) if fd in data]


class Timer:
    """One pending callback of the heap; :meth:`cancel` leaves the entry in
    the heap (popped lazily) but stops it keeping the loop alive."""

    __slots__ = ("when", "seq", "callback", "loop")

    def __init__(self, when: float, seq: int, callback, loop):
        self.when = when
        self.seq = seq
        self.callback = callback
        self.loop = loop

    def __lt__(self, other) -> bool:
        return (self.when, self.seq) < (other.when, other.seq)

    @property
    def active(self) -> bool:
        return self.callback is not None

    def remaining(self) -> float:
        return max(0.0, self.when - time.monotonic())

    def cancel(self) -> None:
        if self.callback is not None:
            self.callback = None
            self.loop.live_timers -= 1


class EventLoop:
    """Poll set + timers + signals + cross-thread callbacks.

    Use as a context manager (it installs the signal handlers and the
    wake-up fd, and restores the previous ones on exit); call :meth:`wait`
    repeatedly. Signals in :data:`STOP_SIGNALS` are counted in
    ``signals_received`` (the last one in ``last_signal``); what to do about
    them is the caller's business.
    """

    def __init__(self):
        self.poller = Poller()
        self._timers: list = []
        self._seq = 0
        self.live_timers = 0
        self._callbacks: deque = deque()
        self.signals_received = 0
        self.last_signal = None
        self._wake_r = self._wake_w = None
        self._old_handlers: list = []
        self._old_wakeup = None

    # -- lifetime --------------------------------------------------------------

    def __enter__(self):
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self.poller.register(self._wake_r, None)
        self._old_wakeup = signal.set_wakeup_fd(self._wake_w, warn_on_full_buffer=False)
        self._old_handlers = [(sig, signal.signal(sig, self._on_signal))
                              for sig in STOP_SIGNALS]
        return self

    def __exit__(self, *exc) -> None:
        signal.set_wakeup_fd(self._old_wakeup)
        for sig, handler in self._old_handlers:
            signal.signal(sig, handler)
        wake_r, wake_w = self._wake_r, self._wake_w
        self._wake_r = self._wake_w = None  # later call_soon_threadsafe: queued only
        os.close(wake_r)
        os.close(wake_w)

    def _on_signal(self, signum, frame) -> None:
        self.signals_received += 1
        self.last_signal = signum

    # -- scheduling callbacks ------------------------------------------------

    def call_later(self, delay: float, callback) -> Timer:
        """Call ``callback()`` after ``delay`` seconds, on the loop's thread."""
        self._seq += 1
        timer = Timer(time.monotonic() + delay, self._seq, callback, self)
        heapq.heappush(self._timers, timer)
        self.live_timers += 1
        return timer

    def call_soon_threadsafe(self, callback) -> None:
        """Queue ``callback()`` from any thread and wake the loop."""
        self._callbacks.append(callback)  # deque.append is atomic
        wake = self._wake_w
        if wake is not None:
            try:
                os.write(wake, b"\0")
            except (BlockingIOError, OSError):
                pass  # full pipe: the loop is awake anyway; closed: loop gone

    @property
    def pending_callbacks(self) -> bool:
        return bool(self._callbacks)

    # -- waiting ---------------------------------------------------------------

    def wait(self, max_wait=None) -> list:
        """Wait for an fd, a timer, a signal or a callback; run due timers and
        queued callbacks; return the data of the ready fds (for the caller to
        dispatch). ``max_wait`` caps the wait (seconds)."""
        timers = self._timers
        while timers and timers[0].callback is None:
            heapq.heappop(timers)
        timeout = max(0.0, timers[0].when - time.monotonic()) if timers else None
        if max_wait is not None:
            timeout = max_wait if timeout is None else min(timeout, max_wait)
        if self._callbacks:
            timeout = 0
        ready = []
        for data in self.poller.select(timeout):
            if data is None:
                try:
                    os.read(self._wake_r, 4096)
                except BlockingIOError:
                    pass
                continue
            ready.append(data)
        return ready

    def run_due(self) -> None:
        """Run the queued cross-thread callbacks and the timers that are due."""
        callbacks = self._callbacks
        while callbacks:
            callbacks.popleft()()
        timers = self._timers
        now = time.monotonic()
        while timers and timers[0].when <= now:
            timer = heapq.heappop(timers)
            callback = timer.callback
            if callback is None:
                continue
            timer.cancel()
            callback()
