"""How an attempt runs somewhere other than a local process, and how other
threads steer a run: the executor protocol, its thread-safe handle, a
thread-pool executor for the common case, and :class:`RunControl`.

An executor is what a ``zr_task_executor`` implementation returns. The
scheduler calls ``start(handle)`` on its loop thread (it must not block)
and ``cancel(signum)`` on timeout (SIGTERM, then SIGKILL after the grace
period) and Ctrl-C (SIGINT, then SIGKILL). After ``cancel(SIGKILL)`` the
scheduler no longer waits: the attempt ends, and whatever the executor
reports later is ignored. Everything an executor reports goes through
the handle, from any thread; the scheduler applies it on its own thread,
woken through its wake-up pipe, so a slow network call never delays
another task's output.
"""

from __future__ import annotations

import _thread

# No typing or threading import here: this module is on every run's path
# (RunControl), and those imports cost more than scheduling a trivial task.


class Executor:
    """The protocol of what ``zr_task_executor`` may return instead of a
    result (any object with these two methods; subclassing is optional)."""

    def start(self, handle: "AttemptHandle") -> None:
        """Begin the attempt; return at once (work in a thread, a socket
        the executor watches, a remote service)."""

    def cancel(self, signum: int) -> None:
        """Stop the attempt: SIGTERM (timeout), SIGINT (Ctrl-C), SIGKILL
        (the grace period is over: the scheduler stops waiting)."""


class AttemptHandle:
    """The executor's side of one attempt; every method is thread-safe and
    returns at once. Calls after the attempt ended are ignored."""

    __slots__ = ("_post", "_attempt", "task", "plan", "number")

    def __init__(self, post, attempt, task, plan, number: int):
        self._post = post  # post(attempt, kind, payload), thread-safe
        self._attempt = attempt
        self.task = task
        self.plan = plan
        self.number = number

    def output(self, stream: int, data: bytes) -> None:
        """Show ``data`` as the task's stdout (1) or stderr (2): prefixed,
        captured and ordered exactly like a local process's output."""
        if data:
            self._post(self._attempt, "output", (stream, bytes(data)))

    def finish(self, exit_code: int | None = None, *, result=None) -> None:
        """The attempt ended with ``exit_code`` (0: success; negative:
        killed by that signal), or with a whole :class:`zr.model.TaskResult`
        (a cache hit restored remotely)."""
        self._post(self._attempt, "finish", (exit_code, result))

    def run_locally(self) -> None:
        """Hand the attempt back to the local process runner (a remote
        cache miss): the plan runs as if no executor had been chosen."""
        self._post(self._attempt, "local", None)


class ThreadExecutor:
    """Runs ``fn(handle, plan)`` in a daemon thread.

    ``fn`` reports through the handle; returning without calling
    ``finish`` or ``run_locally`` finishes with exit 0, and an exception is
    reported as the task's failure. ``cancel`` sets :attr:`cancelled` (an
    :class:`threading.Event`) for ``fn`` to check; a thread that ignores it
    is abandoned at SIGKILL (it is a daemon thread: zr does not wait for it).
    """

    def __init__(self, fn, *, name: str = "zr-executor"):
        import threading

        self.fn = fn
        self.name = name
        self.cancelled = threading.Event()
        self.signals: list = []

    def start(self, handle: AttemptHandle) -> None:
        import threading

        thread = threading.Thread(target=self._run, args=(handle,), name=self.name, daemon=True)
        thread.start()

    def _run(self, handle: AttemptHandle) -> None:
        try:
            self.fn(handle, handle.plan)
        except BaseException as exc:  # reported as the task's failure
            handle.output(2, f"zr: {type(exc).__name__}: {exc}\n".encode())
            handle.finish(1)
            return
        handle.finish(0)  # ignored when fn already finished or ran locally

    def cancel(self, signum: int) -> None:
        self.signals.append(signum)
        self.cancelled.set()


class RunControl:
    """Pause, resume or cancel a running task from any thread.

    ``run.control`` during a run. Each method queues a request for the
    scheduler's loop and returns at once (the loop is woken):

    - ``pause(name)``: SIGSTOP to the process group of the task's current
      attempt; its timeout clock stops while it is stopped.
    - ``resume(name)``: SIGCONT, and the timeout clock runs again.
    - ``cancel(name)``: SIGTERM to the group (SIGKILL after the grace
      period; an executor's ``cancel``); the task ends failed with the
      message "cancelled", its dependents do not run.

    A name that is not running is ignored. Tasks run by an executor can be
    cancelled but not paused.
    """

    def __init__(self):
        self._target = None  # (loop, scheduler) while a scheduler loop runs
        self._lock = _thread.allocate_lock()

    def attach(self, loop, scheduler) -> None:
        with self._lock:
            self._target = (loop, scheduler)

    def detach(self) -> None:
        with self._lock:
            self._target = None

    def _request(self, action: str, name: str) -> bool:
        with self._lock:
            target = self._target
        if target is None:
            return False
        loop, scheduler = target
        loop.call_soon_threadsafe(lambda: scheduler.control(action, name))
        return True

    def pause(self, name: str) -> bool:
        return self._request("pause", name)

    def resume(self, name: str) -> bool:
        return self._request("resume", name)

    def cancel(self, name: str) -> bool:
        return self._request("cancel", name)
