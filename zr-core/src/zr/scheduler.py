"""The scheduler: runs a set of tasks as a DAG with one central wait loop.

No thread per task, no polling sleeps, no asyncio. Every running child has
three file descriptors in one poll set: its stdout and stderr pipes and a
pidfd that becomes readable when it exits. Timeouts, kill grace periods and
retry delays are entries in one heap of deadlines, which bound the select.
Per completion the work is O(1) plus the task's own dependents, so a run is
O(V+E) overall.
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

from . import model
from .commands_text import display_command
from .logfile import LogWriter
from .process import describe_exit, reap_orphans, spawn

_READ_SIZE = 1 << 20


class _Poller:
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
        ms = None if timeout is None else max(0, int(timeout * 1000 + 0.999))
        data = self._data
        return [data[fd] for fd, _ in self._poll.poll(ms) if fd in data]


_MISSING = object()


class _Attempt:
    """One attempt of one task: its plan, the current child and its state."""

    __slots__ = ("task", "plan", "number", "argv_index", "child", "open_fds",
                 "started", "timers", "timed_out", "log", "killed")

    def __init__(self, task, plan, number):
        self.task = task
        self.plan = plan
        self.number = number
        self.argv_index = 0
        self.child = None
        self.open_fds = 0
        self.started = time.monotonic()
        self.timers: list = []
        self.timed_out = False
        self.log = None
        self.killed = False


class Scheduler:
    """Runs tasks of ``run`` with at most ``jobs`` at a time.

    ``hooks`` is the plugin host (``call``/``call_first``); ``printer`` an
    :class:`zr.output.Printer`. :meth:`execute` may be called several times
    on one run (tasks named on the command line run in the order given);
    a task that already has a result is not run again.
    """

    def __init__(self, run, hooks, printer, *, jobs: int, keep_going: bool = False,
                 kill_grace: float = 5.0, env_builder=None):
        self.run = run
        self.hooks = hooks
        self.printer = printer
        self.jobs = max(1, jobs)
        self.keep_going = keep_going
        self.kill_grace = kill_grace
        self.env_builder = env_builder
        # Without prefixes or grouping, tasks write straight to zr's stdout
        # and stderr (a terminal stays a terminal: colours, progress bars).
        self.direct_output = printer.passes_through
        self.interrupted = False
        self.failed = False
        self._selector = None
        self._timers: list = []
        self._timer_seq = 0
        self._active: dict = {}          # task name -> _Attempt (running or waiting retry)
        self._group_counts: dict = {}
        self._tmpdir = None
        self._interrupts = 0         # signals received (set by the handler)
        self._interrupts_handled = 0
        self._last_signal = None
        self._live_timers = 0
        self._tracked_pids: set = set()

    # -- public ----------------------------------------------------------

    def execute(self, names: list) -> None:
        """Run ``names`` (a closure, in start order) to completion."""
        names = [n for n in names if n not in self.run.results]
        if not names or self.interrupted or (self.failed and not self.keep_going):
            for name in names:
                self._finish_unstarted(name, "the run stopped before it started")
            return
        tasks = self.run.tasks
        member = set(names)
        waiting_on: dict = {}
        dependents: dict = {n: [] for n in names}
        for name in names:
            task = tasks[name]
            deps = [d for d in task.all_deps if d in member]
            serial = [d for d in task.deps_serial if d in member]
            for before, after in zip(serial, serial[1:]):
                if before not in dependents[after] and after != before:
                    dependents[before].append(after)
                    waiting_on[after] = waiting_on.get(after, 0) + 1
            for dep in deps:
                dependents[dep].append(name)
            waiting_on[name] = waiting_on.get(name, 0) + len(deps)
        self._dependents = dependents
        self._waiting_on = waiting_on
        self._remaining = set(names)
        results = self.run.results
        for name in names:  # in start order, so blocks propagate to dependents
            for dep in tasks[name].all_deps:
                done = results.get(dep)
                if done is not None and not (done.ok or done.allowed_failure):
                    self._block(name, f"dependency '{dep}' {done.status.replace('_', ' ')}")
                    break
        self._ready = deque(n for n in names if waiting_on[n] == 0 and n in self._remaining)
        self._loop()
        for name in list(self._remaining):
            reason = ("interrupted before it started" if self.interrupted
                      else "not started: an earlier task failed")
            self._finish_unstarted(name, reason)

    def close(self) -> None:
        """Release resources held across :meth:`execute` calls."""
        if self._tmpdir:
            import shutil

            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    # -- the loop ----------------------------------------------------------

    def _loop(self) -> None:
        self._selector = _Poller()
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_r, False)
        os.set_blocking(wake_w, False)
        self._selector.register(wake_r, None)
        old_wakeup = signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
        old_int = signal.signal(signal.SIGINT, self._on_signal)
        old_term = signal.signal(signal.SIGTERM, self._on_signal)
        try:
            while True:
                self._start_ready()
                if not self._active and not self._live_timers:
                    break  # nothing running; ready tasks, if any, may not start
                timeout = None
                while self._timers and self._timers[0][2] is None:
                    heapq.heappop(self._timers)
                if self._timers:
                    timeout = max(0.0, self._timers[0][0] - time.monotonic())
                if any(a.child and a.child.exit_fd is None for a in self._active.values()):
                    timeout = 0.05 if timeout is None else min(timeout, 0.05)
                for data in self._selector.select(timeout):
                    if data is None:
                        try:
                            os.read(wake_r, 512)
                        except BlockingIOError:
                            pass
                        continue
                    self._on_event(*data)
                self._check_without_pidfd()
                self._fire_timers()
                if self._interrupts > self._interrupts_handled:
                    self._handle_interrupt()
        finally:
            signal.set_wakeup_fd(old_wakeup)
            signal.signal(signal.SIGINT, old_int)
            signal.signal(signal.SIGTERM, old_term)
            self._selector = None
            os.close(wake_r)
            os.close(wake_w)

    def _on_signal(self, signum, frame) -> None:
        self._interrupts += 1
        self._last_signal = signum

    def _handle_interrupt(self) -> None:
        """First Ctrl-C: forward SIGINT to every group, SIGKILL after the
        grace period. A second one: SIGKILL now."""
        first = not self.interrupted
        self._interrupts_handled = self._interrupts
        self.interrupted = True
        self._ready.clear()
        for attempt in list(self._active.values()):
            if attempt.child is None:  # waiting for a retry: give up now
                self._complete(attempt.task, self._result(attempt, model.INTERRUPTED, None,
                                                          "interrupted"))
                continue
            attempt.killed = True
            if first:
                # A Ctrl-C from the terminal already reached an interactive
                # task (it is in zr's foreground group): do not send it twice.
                if not (attempt.task.interactive and self._last_signal == signal.SIGINT):
                    attempt.child.signal_group(signal.SIGINT)
                self._add_timer(self.kill_grace, "kill", attempt)
            else:
                attempt.child.signal_group(signal.SIGKILL)

    # -- starting ----------------------------------------------------------

    def _start_ready(self) -> None:
        stopping = self.interrupted or (self.failed and not self.keep_going)
        if stopping:
            return
        deferred = []
        while self._ready and self._running_count() < self.jobs:
            # An interactive task owns the terminal: it starts when nothing else
            # runs, and nothing starts beside it.
            if any(a.task.interactive for a in self._active.values()):
                break
            task = self.run.tasks[self._ready[0]]
            if task.interactive and self._active:
                break
            name = self._ready.popleft()
            group = _concurrency_group(task)
            if task.max_concurrent and self._group_counts.get(group, 0) >= task.max_concurrent:
                deferred.append(name)
                continue
            self._begin(task)
        self._ready.extendleft(reversed(deferred))

    def _running_count(self) -> int:
        return sum(1 for a in self._active.values() if a.child is not None)

    def _begin(self, task) -> None:
        run = self.run
        try:
            reasons = [r for r in self.hooks.call("zr_task_skip", task=task, run=run) if r]
            if reasons and task.name not in run.force:
                self._complete(task, model.TaskResult(task.name, model.SKIPPED,
                                                      message="; ".join(reasons)))
                return
            refusal = check_guards(task, run, self.hooks)
            if refusal:
                self._complete(task, model.TaskResult(task.name, model.FAILED, attempts=0,
                                                      message=refusal))
                return
            self.hooks.call("zr_task_start", task=task, run=run)
        except Exception as exc:
            self._fail_before_start(task, exc, 1)
            return
        self._attempt(task, 1)

    def _fail_before_start(self, task, exc: Exception, number: int) -> None:
        """A hook could not decide about ``task`` (a condition that cannot be
        evaluated, a guard that refuses): the task fails with the reason and
        the run goes on as after any failure, managing what is running."""
        from .errors import ZrError

        message = str(exc) if isinstance(exc, ZrError) else \
            f"a plugin failed: {type(exc).__name__}: {exc}"
        if not isinstance(exc, ZrError):
            import traceback

            lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
            self.printer.debug("".join(lines).rstrip())
        self._complete(task, model.TaskResult(task.name, model.FAILED, exit_code=None,
                                              attempts=number, message=message))

    def _attempt(self, task, number: int) -> None:
        try:
            plan = self.env_builder(task) if self.env_builder else None
            chosen = self.hooks.call_first("zr_run_task", task=task, plan=plan, run=self.run)
        except Exception as exc:
            self._active.pop(task.name, None)
            self._fail_before_start(task, exc, number)
            return
        if chosen is None:
            chosen = plan
        attempt = _Attempt(task, chosen, number)
        self._active[task.name] = attempt
        if isinstance(chosen, model.TaskResult):
            del self._active[task.name]
            chosen.attempts = number
            self._complete(task, chosen)
            return
        group = _concurrency_group(task)
        self._group_counts[group] = self._group_counts.get(group, 0) + 1
        if self.run.wants_capture(task.name):
            attempt.log = LogWriter(os.path.join(self._temp_dir(), f"{len(self.run.results)}-"
                                                 f"{abs(hash(task.name))}.log"))
        if chosen.timeout:
            self._add_timer(chosen.timeout, "timeout", attempt)
        if not chosen.argvs:
            self._attempt_done(attempt, 0)
            return
        self._spawn_next(attempt)

    def _spawn_next(self, attempt) -> None:
        argv = attempt.plan.argvs[attempt.argv_index]
        self.printer.debug(f"{attempt.task.name} $ {display_command(argv).strip()}")
        piped = not self.direct_output or attempt.log is not None
        try:
            child = spawn(argv, attempt.plan.cwd, attempt.plan.env, piped=piped,
                          terminal=attempt.task.interactive)
        except OSError as exc:
            code = 127 if isinstance(exc, (FileNotFoundError, PermissionError)) else 126
            self._emit(attempt, 2, f"zr: cannot run {argv[0]!r}: {exc.strerror}\n".encode())
            self._attempt_done(attempt, code)
            return
        attempt.child = child
        self._tracked_pids.add(child.pid)
        sel = self._selector
        if child.stdout_fd is not None:
            sel.register(child.stdout_fd, (attempt, 1))
            sel.register(child.stderr_fd, (attempt, 2))
            attempt.open_fds = 2
        if child.exit_fd is not None:
            sel.register(child.exit_fd, (attempt, 0))

    # -- events --------------------------------------------------------------

    def _on_event(self, attempt, what: int) -> None:
        child = attempt.child
        if child is None:
            return
        if what == 0:
            self._child_exited(attempt)
            return
        fd = child.stdout_fd if what == 1 else child.stderr_fd
        try:
            data = os.read(fd, _READ_SIZE)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if data:
            self._emit(attempt, what, data)
        else:
            self._selector.unregister(fd)
            attempt.open_fds -= 1

    def _check_without_pidfd(self) -> None:
        for attempt in list(self._active.values()):
            child = attempt.child
            if child is not None and child.exit_fd is None and child.poll() is not None:
                self._child_exited(attempt)

    def _child_exited(self, attempt) -> None:
        child = attempt.child
        sel = self._selector
        if child.stdout_fd is not None:
            for stream, fd in ((1, child.stdout_fd), (2, child.stderr_fd)):
                self._drain(attempt, stream, fd)
                sel.unregister(fd)
        if child.exit_fd is not None:
            sel.unregister(child.exit_fd)
        code = child.wait()
        child.close()
        self._tracked_pids.discard(child.pid)
        attempt.child = None
        if attempt.killed or attempt.timed_out:
            # Whatever it left behind in its group, and orphans re-parented to us.
            child.signal_group(signal.SIGKILL)
            reap_orphans(self._tracked_pids, kill=True)
        if code == 0 and attempt.argv_index + 1 < len(attempt.plan.argvs) \
                and not attempt.timed_out and not self.interrupted:
            attempt.argv_index += 1
            self._spawn_next(attempt)
            return
        self._attempt_done(attempt, code)

    def _drain(self, attempt, stream: int, fd: int) -> None:
        while True:
            try:
                data = os.read(fd, _READ_SIZE)
            except (BlockingIOError, OSError):
                return
            if not data:
                return
            self._emit(attempt, stream, data)

    def _emit(self, attempt, stream: int, data: bytes) -> None:
        if attempt.log is not None:
            attempt.log.write(stream, data)
        self.printer.task_output(attempt.task.name, stream, data)

    # -- finishing -------------------------------------------------------------

    def _attempt_done(self, attempt, code: int) -> None:
        task = attempt.task
        group = _concurrency_group(task)
        self._group_counts[group] -= 1
        if attempt.log is not None:
            attempt.log.close()
        self._cancel_timers(attempt)
        if self.interrupted and (attempt.killed or code != 0):
            self._complete(task, self._result(attempt, model.INTERRUPTED, code, "interrupted"))
            return
        if code == 0 and not attempt.timed_out:
            self._complete(task, self._result(attempt, model.SUCCESS, 0, ""))
            return
        status = model.TIMED_OUT if attempt.timed_out else model.FAILED
        message = (f"after {_seconds(attempt.plan.timeout)}" if attempt.timed_out
                   else describe_exit(code))
        if attempt.number <= task.retry.count and not self.interrupted:
            delay = task.retry.delay_before(attempt.number + 1)
            self.printer.info(f"{task.name} {'timed out ' if attempt.timed_out else ''}"
                              f"{message}; retrying "
                              f"({attempt.number}/{task.retry.count})"
                              + (f" in {delay:g}s" if delay else ""))
            attempt.child = None
            self._add_timer(delay, "retry", attempt)
            return
        self._complete(task, self._result(attempt, status, code, message))

    def _result(self, attempt, status, code, message) -> model.TaskResult:
        duration = time.monotonic() - attempt.started
        return model.TaskResult(
            attempt.task.name, status, exit_code=code, duration=duration,
            attempts=attempt.number, message=message,
            log_path=attempt.log.path if attempt.log is not None else None,
            started_at=time.time() - duration,
            allowed_failure=attempt.task.allow_failure and status in (model.FAILED,
                                                                     model.TIMED_OUT))

    def _complete(self, task, result) -> None:
        name = task.name
        if task.finally_cmds and result.attempts and result.status in _RAN:
            self._run_finally(task, result)
        self._active.pop(name, None)
        self._remaining.discard(name)
        self.run.results[name] = result
        self.printer.end_task_output(name, result.ok)
        try:
            self.hooks.call("zr_task_finish", task=task, result=result, run=self.run)
        except Exception as exc:  # a plugin bug must not change the result
            self.printer.warn(f"a plugin failed after task '{name}': {exc!r}")
        proceed = result.ok or result.allowed_failure
        if not proceed and result.status != model.INTERRUPTED:
            self.failed = True
        for dependent in self._dependents.get(name, ()):
            if dependent not in self._remaining:
                continue
            if not proceed:
                self._block(dependent, f"dependency '{name}' {result.status.replace('_', ' ')}")
                continue
            self._waiting_on[dependent] -= 1
            if self._waiting_on[dependent] == 0:
                self._ready.append(dependent)

    def _block(self, name: str, reason: str) -> None:
        """Mark ``name`` and everything that waits on it as not run."""
        stack = [name]
        while stack:
            current = stack.pop()
            if current not in self._remaining:
                continue
            self._remaining.discard(current)
            self.run.results[current] = model.TaskResult(current, model.BLOCKED, message=reason)
            stack.extend(self._dependents.get(current, ()))

    def _finish_unstarted(self, name: str, reason: str) -> None:
        if name not in self.run.results:
            status = model.INTERRUPTED if self.interrupted else model.BLOCKED
            self.run.results[name] = model.TaskResult(name, status, message=reason)

    def _run_finally(self, task, result) -> None:
        """Run the task's cleanup whatever happened; a failing cleanup fails
        the task without hiding the task's own failure.

        It runs to completion before the loop goes on (cleanups are short,
        and this keeps it out of the way of Ctrl-C: it has its own process
        group, so a second Ctrl-C does not interrupt the cleanup).
        """
        import subprocess

        from .commands_text import command_argvs, task_shell

        env = self.run.env_for(task)
        for argv in command_argvs(task.finally_cmds, task_shell(task, self.run.config)):
            self.printer.debug(f"{task.name} (finally) $ {display_command(argv)}")
            try:
                done = subprocess.run(argv, cwd=task.cwd, env=env,
                                      stdin=subprocess.DEVNULL, capture_output=True,
                                      timeout=task.timeout or 600, process_group=0)
                code = done.returncode
                self.printer.task_output(task.name, 1, done.stdout)
                self.printer.task_output(task.name, 2, done.stderr)
            except subprocess.TimeoutExpired:
                code = "timeout"
            except OSError as exc:
                code = 127
                self.printer.task_output(task.name, 2, f"zr: {exc}\n".encode())
            if code != 0:
                what = "timed out" if code == "timeout" else describe_exit(code)
                note = f"finally failed ({what})"
                self.printer.error(f"{task.name}: {note}")
                if result.ok:
                    result.status = model.FAILED
                    result.exit_code = code if isinstance(code, int) else None
                    result.message = note
                else:
                    result.message = f"{result.message}; {note}"
                return

    # -- timers ------------------------------------------------------------------

    def _add_timer(self, delay: float, action: str, attempt) -> None:
        self._timer_seq += 1
        entry = [time.monotonic() + delay, self._timer_seq, action, attempt]
        heapq.heappush(self._timers, entry)
        attempt.timers.append(entry)
        self._live_timers += 1

    def _cancel_timers(self, attempt) -> None:
        """Cancelled entries stay in the heap but no longer keep the loop alive."""
        for entry in attempt.timers:
            if entry[2] is not None:
                entry[2] = None
                self._live_timers -= 1
        attempt.timers.clear()

    def _fire_timers(self) -> None:
        now = time.monotonic()
        while self._timers and self._timers[0][0] <= now:
            entry = heapq.heappop(self._timers)
            _, _, action, attempt = entry
            if action is None:
                continue
            entry[2] = None
            self._live_timers -= 1
            if action == "retry":
                if not self.interrupted:
                    self._attempt(attempt.task, attempt.number + 1)
            elif attempt.child is not None:
                if action == "timeout":
                    attempt.timed_out = True
                    attempt.child.signal_group(signal.SIGTERM)
                    self._add_timer(attempt.plan.grace, "kill", attempt)
                elif action == "kill":
                    attempt.child.signal_group(signal.SIGKILL)

    def _temp_dir(self) -> str:
        if self._tmpdir is None:
            import tempfile

            self._tmpdir = tempfile.mkdtemp(prefix="zr-run-")
        return self._tmpdir


_RAN = frozenset({model.SUCCESS, model.FAILED, model.TIMED_OUT, model.INTERRUPTED})


def check_guards(task, run, hooks) -> str | None:
    """The message of the first ``require`` guard that is false, or None.

    Guards are expressions of the expr plugin when it is installed (the
    ``zr_evaluate`` hook); without it only ``env.NAME`` (set and not empty)
    and ``!env.NAME`` are understood.
    """
    for guard in task.field("require") or ():
        expression = guard["if"]
        value = hooks.call_first("zr_evaluate", expression=expression, task=task, run=run)
        if value is None:
            value = _plain_env_guard(expression, run.env_for(task))
        if not value:
            return guard["message"] or f"requirement not met: {expression}"
    return None


def _plain_env_guard(expression: str, env: dict) -> bool:
    text = expression.strip()
    negate = text.startswith("!")
    name = text.lstrip("!").strip()
    if not name.startswith("env.") or not name[4:].replace("_", "a").isalnum():
        from .errors import ConfigError

        raise ConfigError(f"require: '{expression}' needs the expression language "
                          "(pip install zr-plugin-expr); without it only env.NAME and "
                          "!env.NAME are understood", key=f"tasks.{task_name(env)}.require")
    present = bool(env.get(name[4:]))
    return not present if negate else present


def task_name(env: dict) -> str:
    return env.get("ZR_TASK", "?")


def _concurrency_group(task) -> str:
    """Instances of one task (matrix cells) share a ``max_concurrent`` limit."""
    return task.name.split("[", 1)[0]


def _seconds(value) -> str:
    return f"{value:g}s" if value is not None else "?"


def summarize(run, duration: float) -> model.RunSummary:
    """The exit code and counts of a finished run (see DESIGN: exit codes)."""
    results = run.results
    interrupted = any(r.status == model.INTERRUPTED for r in results.values())
    failed = [r for r in results.values()
              if r.status in (model.FAILED, model.TIMED_OUT) and not r.allowed_failure]
    if interrupted:
        code = 130
    elif failed:
        code = 127 if failed[0].exit_code == 127 else 1
    else:
        code = 0
    return model.RunSummary(dict(results), code, duration, interrupted)
