"""The attempt state machine: one try of one task, from its final plan to
its result.

An attempt is in one phase at a time:

``RUNNING``
    its plan's commands run one after another as local processes (each in
    its own process group; output drained from pipes, exit seen through a
    pidfd), or an executor runs it and reports through its handle. A
    timeout sends SIGTERM (``cancel(SIGTERM)``) and SIGKILL after the
    grace period; Ctrl-C sends SIGINT, then SIGKILL.
``RETRY_WAIT``
    it failed, retries are left, the retry delay is running.
``FINALLY``
    the task's ``finally`` commands run, whatever happened (a failing
    cleanup fails the task without hiding the task's own failure). They
    run in the loop like any command, in a process group of their own, so
    a first Ctrl-C lets them finish.
``DONE``
    the result went to ``on_done``.

Everything happens on the event loop's thread; nothing blocks.
"""

from __future__ import annotations

import os
try:  # the C module itself (see eventloop)
    import _signal as signal
except ImportError:  # pragma: no cover - other Python implementations
    import signal
import time

from . import model
from .commands_text import display_command
from .logfile import LogWriter
from .process import describe_exit, reap_orphans, spawn

RUNNING, RETRY_WAIT, FINALLY, DONE = "running", "retry wait", "finally", "done"
_READ_SIZE = 1 << 20
_PIPE_FULL = 1 << 16  # a read this large found the default pipe buffer full
_FINALLY_TIMEOUT = 600.0


class Attempt:
    """The state of one attempt (see the module docstring for the phases)."""

    __slots__ = ("task", "plan", "number", "phase", "argv_index", "argvs", "child",
                 "executor", "open_fds", "started", "timers", "timed_out", "killed",
                 "cancelled", "log", "paused", "timeout_left", "pending", "finally_timed_out")

    def __init__(self, task, plan, number: int, started=None):
        self.task = task
        self.plan = plan
        self.number = number
        self.phase = RUNNING
        self.argv_index = 0
        self.argvs = plan.commands() if plan is not None else []
        self.child = None
        self.executor = None
        self.open_fds = 0
        self.started = time.monotonic() if started is None else started
        self.timers: dict = {}        # "timeout" / "kill" / "retry" / "finally" -> Timer
        self.timed_out = False
        self.killed = False           # Ctrl-C or cancel: SIGINT/SIGTERM sent
        self.cancelled = False        # cancelled through run.control
        self.log = None
        self.paused = False
        self.timeout_left = None      # seconds of timeout left while paused
        self.pending = None           # the result waiting for ``finally``
        self.finally_timed_out = False

    @property
    def occupies_slot(self) -> bool:
        """Counts against ``--jobs``: it has something running."""
        return self.phase in (RUNNING, FINALLY)


class AttemptRunner:
    """Drives attempts through their phases on one :class:`EventLoop`.

    ``on_done(attempt, result)`` receives each final result (after
    ``finally``); ``on_failed(attempt, result)`` is asked, when a task has
    no retry left, whether to ``"retry"`` or ``"skip"`` (or None); ``emit``
    shows output; ``process_started(task, pid)`` tells observers.
    """

    def __init__(self, loop, printer, run, *, on_done, on_failed, process_started,
                 direct_output: bool, kill_grace: float, temp_dir):
        self.loop = loop
        self.printer = printer
        self.run = run
        self.on_done = on_done
        self.on_failed = on_failed
        self.process_started = process_started
        self.direct_output = direct_output
        self.kill_grace = kill_grace
        self.temp_dir = temp_dir
        self.interrupted = False
        self.tracked_pids: set = set()

    # -- starting ----------------------------------------------------------

    def start(self, attempt: Attempt, executor=None) -> None:
        task = attempt.task
        if self.run.wants_capture(task.name) and attempt.log is None:
            attempt.log = LogWriter(os.path.join(self.temp_dir(), f"{len(self.run.results)}-"
                                                 f"{abs(hash(task.name))}-{attempt.number}.log"))
        if attempt.plan.timeout:
            self._set_timer(attempt, "timeout", attempt.plan.timeout, self._on_timeout)
        if executor is not None:
            from .executors import AttemptHandle

            attempt.executor = executor
            handle = AttemptHandle(self._post, attempt, task, attempt.plan, attempt.number)
            try:
                executor.start(handle)
            except Exception as exc:
                attempt.executor = None
                self.emit(attempt, 2, f"zr: the executor failed to start: "
                                      f"{type(exc).__name__}: {exc}\n".encode())
                self.commands_done(attempt, 1)
            return
        if not attempt.argvs:
            self.commands_done(attempt, 0)
            return
        self._spawn_next(attempt)

    def _spawn_next(self, attempt: Attempt) -> None:
        argv = attempt.argvs[attempt.argv_index]
        cwd, env = attempt.plan.cwd, attempt.plan.env
        if attempt.phase == FINALLY:
            cwd = attempt.task.cwd
        if self.printer.verbose:
            label = " (finally)" if attempt.phase == FINALLY else ""
            self.printer.debug(f"{attempt.task.name}{label} $ {display_command(argv).strip()}")
        piped = not self.direct_output or attempt.log is not None or attempt.phase == FINALLY
        try:
            child = spawn(argv, cwd, env, piped=piped,
                          terminal=attempt.task.interactive and attempt.phase == RUNNING)
        except OSError as exc:
            code = 127 if isinstance(exc, (FileNotFoundError, PermissionError)) else 126
            self.emit(attempt, 2, f"zr: cannot run {argv[0]!r}: {exc.strerror}\n".encode())
            self._commands_ended(attempt, code)
            return
        attempt.child = child
        self.tracked_pids.add(child.pid)
        poller = self.loop.poller
        if child.stdout_fd is not None:
            poller.register(child.stdout_fd, (self._on_fd, attempt, 1))
            poller.register(child.stderr_fd, (self._on_fd, attempt, 2))
            attempt.open_fds = 2
        if child.exit_fd is not None:
            poller.register(child.exit_fd, (self._on_fd, attempt, 0))
        self.process_started(attempt.task, child.pid)

    # -- events from children ----------------------------------------------

    def _on_fd(self, attempt: Attempt, what: int) -> None:
        child = attempt.child
        if child is None:
            return
        if what == 0:
            self.child_exited(attempt)
            return
        fd = child.stdout_fd if what == 1 else child.stderr_fd
        try:
            data = os.read(fd, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data:
            if what == 1 and len(data) >= _PIPE_FULL:
                child.widen_stdout()  # a chatty task: fewer, larger reads from now on
            self.emit(attempt, what, data)
        else:
            self.loop.poller.unregister(fd)
            attempt.open_fds -= 1
            child.closed.add(what)

    def poll_without_pidfd(self, attempts) -> None:
        """Children without a pidfd (not Linux): look whether they exited."""
        for attempt in attempts:
            child = attempt.child
            if child is not None and child.exit_fd is None and child.poll() is not None:
                self.child_exited(attempt)

    def child_exited(self, attempt: Attempt) -> None:
        child = attempt.child
        poller = self.loop.poller
        if child.stdout_fd is not None:
            for stream, fd in ((1, child.stdout_fd), (2, child.stderr_fd)):
                if stream not in child.closed:  # (one already at its end has nothing left)
                    self._drain(attempt, stream, fd)
                    poller.unregister(fd)
        if child.exit_fd is not None:
            poller.unregister(child.exit_fd)
        code = child.wait()
        child.close()
        self.tracked_pids.discard(child.pid)
        attempt.child = None
        if attempt.killed or attempt.timed_out or attempt.finally_timed_out:
            # Whatever it left behind in its group, and orphans re-parented to us.
            child.signal_group(signal.SIGKILL)
            reap_orphans(self.tracked_pids, kill=True)
        self._commands_ended(attempt, code)

    def _commands_ended(self, attempt: Attempt, code) -> None:
        """One command ended: the next one, or the end of this phase."""
        stopping = attempt.timed_out or attempt.killed or attempt.finally_timed_out
        if code == 0 and attempt.argv_index + 1 < len(attempt.argvs) and not stopping \
                and not (self.interrupted and attempt.phase == RUNNING):
            attempt.argv_index += 1
            self._spawn_next(attempt)
            return
        if attempt.phase == FINALLY:
            self._finally_done(attempt, code)
        else:
            self.commands_done(attempt, code)

    def _drain(self, attempt: Attempt, stream: int, fd: int) -> None:
        while True:
            try:
                data = os.read(fd, _READ_SIZE)
            except (BlockingIOError, OSError):
                return
            if not data:
                return
            self.emit(attempt, stream, data)

    def emit(self, attempt: Attempt, stream: int, data: bytes) -> None:
        if attempt.log is not None and attempt.phase == RUNNING:
            attempt.log.write(stream, data)
        self.printer.task_output(attempt.task.name, stream, data)

    # -- events from executors (posted from any thread) --------------------

    def _post(self, attempt: Attempt, kind: str, payload) -> None:
        executor = attempt.executor
        self.loop.call_soon_threadsafe(lambda: self._executor_event(attempt, executor, kind,
                                                                    payload))

    def _executor_event(self, attempt: Attempt, executor, kind: str, payload) -> None:
        if attempt.phase != RUNNING or attempt.executor is not executor or executor is None:
            return  # the attempt ended (abandoned) or went local: too late
        if kind == "output":
            self.emit(attempt, *payload)
        elif kind == "local":
            attempt.executor = None
            if attempt.killed or attempt.timed_out:
                self.commands_done(attempt, None)
            elif not attempt.argvs:
                self.commands_done(attempt, 0)
            else:
                self._spawn_next(attempt)
        elif kind == "finish":
            code, result = payload
            attempt.executor = None
            if result is not None:
                self._end(attempt, result)
            else:
                self.commands_done(attempt, code)

    # -- timers, signals, control --------------------------------------------

    def _set_timer(self, attempt: Attempt, name: str, delay: float, action) -> None:
        old = attempt.timers.get(name)
        if old is not None:
            old.cancel()
        attempt.timers[name] = self.loop.call_later(delay, lambda: action(attempt))

    def _cancel_timers(self, attempt: Attempt) -> None:
        for timer in attempt.timers.values():
            timer.cancel()
        attempt.timers.clear()

    def _on_timeout(self, attempt: Attempt) -> None:
        if attempt.phase != RUNNING:
            return
        attempt.timed_out = True
        self._stop(attempt, signal.SIGTERM, attempt.plan.grace)

    def _stop(self, attempt: Attempt, sig: int, grace: float) -> None:
        """Send ``sig`` to what runs the attempt, SIGKILL after ``grace``."""
        if attempt.child is not None:
            self._signal_child(attempt, sig)
        elif attempt.executor is not None:
            self._cancel_executor(attempt, sig)
        self._set_timer(attempt, "kill", grace, self._kill)

    def _signal_child(self, attempt: Attempt, sig) -> None:
        """Send ``sig`` to the attempt's process group (None: send nothing);
        a paused group is continued too, so that it can react at once
        rather than sit stopped until SIGKILL. The signal goes first: it is
        the first thing the group handles when it runs again."""
        if sig is not None:
            attempt.child.signal_group(sig)
        if attempt.paused:
            attempt.child.signal_group(signal.SIGCONT)
            attempt.paused = False
            attempt.timeout_left = None

    def _kill(self, attempt: Attempt) -> None:
        if attempt.child is not None:
            attempt.child.signal_group(signal.SIGKILL)
        elif attempt.executor is not None and attempt.phase == RUNNING:
            self._cancel_executor(attempt, signal.SIGKILL)
            attempt.executor = None  # no more waiting for it
            self.commands_done(attempt, -signal.SIGKILL)

    def _cancel_executor(self, attempt: Attempt, sig: int) -> None:
        try:
            attempt.executor.cancel(sig)
        except Exception as exc:  # a broken executor must not stop the loop
            self.printer.warn(f"{attempt.task.name}: cancelling its executor failed: {exc!r}")

    def interrupt(self, attempt: Attempt, first: bool, last_signal) -> None:
        """Ctrl-C (or SIGTERM/SIGHUP): stop what runs, SIGKILL after the grace
        period; a second one kills now. ``finally`` commands are left to
        finish after the first."""
        if attempt.phase == RETRY_WAIT:
            self._cancel_timers(attempt)
            self._end(attempt, self.result(attempt, model.INTERRUPTED, None, "interrupted"))
            return
        if attempt.phase == FINALLY:
            if not first and attempt.child is not None:
                attempt.child.signal_group(signal.SIGKILL)
            return
        attempt.killed = True
        if not first:
            self._kill(attempt)
            return
        if attempt.child is not None:
            # A Ctrl-C from the terminal already reached an interactive task
            # (it is in zr's foreground group): do not send it twice.
            already = attempt.task.interactive and last_signal == signal.SIGINT
            self._signal_child(attempt, None if already else signal.SIGINT)
        elif attempt.executor is not None:
            self._cancel_executor(attempt, signal.SIGINT)
        self._set_timer(attempt, "kill", self.kill_grace, self._kill)

    def pause(self, attempt: Attempt) -> None:
        if attempt.phase != RUNNING or attempt.child is None or attempt.paused:
            return
        attempt.child.signal_group(signal.SIGSTOP)
        attempt.paused = True
        timer = attempt.timers.pop("timeout", None)
        if timer is not None and timer.active:
            attempt.timeout_left = timer.remaining()
            timer.cancel()

    def resume(self, attempt: Attempt) -> None:
        if not attempt.paused:
            return
        attempt.paused = False
        if attempt.child is not None:
            attempt.child.signal_group(signal.SIGCONT)
        if attempt.timeout_left is not None:
            self._set_timer(attempt, "timeout", attempt.timeout_left, self._on_timeout)
            attempt.timeout_left = None

    def cancel(self, attempt: Attempt) -> None:
        if attempt.phase == RETRY_WAIT:
            self._cancel_timers(attempt)
            self._end(attempt, self.result(attempt, model.FAILED, None, "cancelled"))
            return
        if attempt.phase != RUNNING or attempt.killed:
            return
        attempt.cancelled = attempt.killed = True
        self._stop(attempt, signal.SIGTERM, attempt.plan.grace)

    # -- ending ----------------------------------------------------------------

    def commands_done(self, attempt: Attempt, code) -> None:
        """The attempt's commands ended with ``code``: its outcome, a retry,
        or ``finally``."""
        if attempt.phase != RUNNING:
            return
        task = attempt.task
        self._cancel_timers(attempt)
        if attempt.cancelled:
            self._end(attempt, self.result(attempt, model.FAILED, code, "cancelled"))
            return
        if self.interrupted and (attempt.killed or code != 0):
            self._end(attempt, self.result(attempt, model.INTERRUPTED, code, "interrupted"))
            return
        if code == 0 and not attempt.timed_out:
            self._end(attempt, self.result(attempt, model.SUCCESS, 0, ""))
            return
        status = model.TIMED_OUT if attempt.timed_out else model.FAILED
        message = (f"after {_seconds(attempt.plan.timeout)}" if attempt.timed_out
                   else describe_exit(code))
        if attempt.number <= task.retry.count and not self.interrupted:
            delay = task.retry.delay_before(attempt.number + 1)
            self.printer.info(f"{task.name} {'timed out ' if attempt.timed_out else ''}"
                              f"{message}; retrying ({attempt.number}/{task.retry.count})"
                              + (f" in {delay:g}s" if delay else ""))
            self._wait_retry(attempt, delay)
            return
        result = self.result(attempt, status, code, message)
        answer = None if self.interrupted else self.on_failed(attempt, result)
        if answer == "retry":
            self.printer.info(f"{task.name} {message}; retrying")
            self._wait_retry(attempt, 0.0)
            return
        if answer == "skip":
            result.status = model.SKIPPED
            result.message = f"skipped after it failed ({message})"
        self._end(attempt, result)

    def _wait_retry(self, attempt: Attempt, delay: float) -> None:
        if attempt.log is not None:
            attempt.log.close()
        attempt.phase = RETRY_WAIT
        self._set_timer(attempt, "retry", delay, self.on_retry)

    # Set by the scheduler: starts the next attempt of a task (a new plan).
    on_retry = None

    def _end(self, attempt: Attempt, result) -> None:
        """The attempt has its result: run ``finally`` first if it ran."""
        if attempt.log is not None and attempt.phase == RUNNING:
            attempt.log.close()
        self._cancel_timers(attempt)
        task = attempt.task
        if task.finally_cmds and result.attempts and result.status in _RAN \
                and attempt.phase != FINALLY:
            from .commands_text import command_argvs, task_shell

            attempt.phase = FINALLY
            attempt.pending = result
            attempt.argvs = command_argvs(task.finally_cmds, task_shell(task, self.run.config))
            attempt.argv_index = 0
            self._set_timer(attempt, "finally", task.timeout or _FINALLY_TIMEOUT,
                            self._finally_timeout)
            self._spawn_next(attempt)
            return
        attempt.phase = DONE
        self.on_done(attempt, result)

    def _finally_timeout(self, attempt: Attempt) -> None:
        if attempt.phase == FINALLY and attempt.child is not None:
            attempt.finally_timed_out = True
            attempt.child.signal_group(signal.SIGKILL)

    def _finally_done(self, attempt: Attempt, code) -> None:
        self._cancel_timers(attempt)
        result = attempt.pending
        if code != 0 or attempt.finally_timed_out:
            what = "timed out" if attempt.finally_timed_out else describe_exit(code)
            note = f"finally failed ({what})"
            self.printer.error(f"{attempt.task.name}: {note}")
            if result.ok:
                result.status = model.FAILED
                result.exit_code = None if attempt.finally_timed_out else code
                result.message = note
            else:
                result.message = f"{result.message}; {note}"
        attempt.phase = DONE
        self.on_done(attempt, result)

    def result(self, attempt: Attempt, status, code, message) -> model.TaskResult:
        duration = time.monotonic() - attempt.started
        return model.TaskResult(
            attempt.task.name, status, exit_code=code, duration=duration,
            attempts=attempt.number, message=message,
            log_path=attempt.log.path if attempt.log is not None else None,
            started_at=time.time() - duration,
            allowed_failure=attempt.task.allow_failure and status in (model.FAILED,
                                                                     model.TIMED_OUT))


_RAN = frozenset({model.SUCCESS, model.FAILED, model.TIMED_OUT, model.INTERRUPTED})


def _seconds(value) -> str:
    return f"{value:g}s" if value is not None else "?"
