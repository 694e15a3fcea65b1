"""The scheduler: runs a set of tasks as a DAG with one central wait loop.

Three parts, each readable on its own:

- :mod:`zr.graphstate`: which tasks may start (dependencies, the ready
  queue, blocking, concurrency groups), pure code;
- :mod:`zr.eventloop`: the poll set, timers, signals and cross-thread
  wake-ups;
- :mod:`zr.attempt`: one attempt's phases (commands or an executor,
  timeout escalation, retry wait, ``finally``).

This module ties them together and calls the hooks around a task: skip,
guards, start, the plan transforms and the executor decision, the
failure question, finish. No thread per task, no polling sleeps, no
asyncio; per completion the work is O(1) plus the task's own dependents,
so a run is O(V+E) overall.
"""

from __future__ import annotations

try:  # the C module itself (see eventloop)
    import _signal as signal
except ImportError:  # pragma: no cover - other Python implementations
    import signal

from . import model
from .attempt import FINALLY, RETRY_WAIT, RUNNING, Attempt, AttemptRunner
from .eventloop import EventLoop
from .graphstate import GraphState

_NO_PIDFD_POLL = 0.05


class Scheduler:
    """Runs tasks of ``run`` with at most ``jobs`` at a time.

    ``hooks`` is the plugin host; ``printer`` an :class:`zr.output.Printer`;
    ``planner`` makes each attempt's environment and plan (the runner's
    :class:`zr.runner.PlanBuilder`). :meth:`execute` may be called several
    times on one run (tasks named on the command line run in the order
    given); a task that already has a result is not run again.
    """

    def __init__(self, run, hooks, printer, *, jobs: int, keep_going: bool = False,
                 kill_grace: float = 5.0, env_builder=None):
        self.run = run
        self.hooks = hooks
        self.printer = printer
        self.jobs = max(1, jobs)
        self.keep_going = keep_going
        self.kill_grace = kill_grace
        self.planner = env_builder
        # Without prefixes or grouping, tasks write straight to zr's stdout
        # and stderr (a terminal stays a terminal: colours, progress bars).
        self.direct_output = printer.passes_through
        self.interrupted = False
        self.stop_signal = None
        self.failed = False
        self._tmpdir = None
        self._active: dict = {}          # task name -> Attempt (running, retry wait, finally)
        self._graph = None
        self._loop = None
        self._runner = None
        self._signals_handled = 0
        self._ask_on_failure = hooks.has_implementations("zr_task_failed")
        self._decide = hooks.has_implementations("zr_task_executor")
        self._transform = hooks.has_implementations("zr_task_plan")
        self._observe_processes = hooks.has_implementations("zr_process_started")
        self._admit = (self._admits if hooks.has_implementations("zr_task_admit")
                       else None)

    # -- public ----------------------------------------------------------

    def execute(self, names: list) -> None:
        """Run ``names`` (a closure, in start order) to completion."""
        results = self.run.results
        names = [n for n in names if n not in results]
        if not names or self.interrupted or (self.failed and not self.keep_going):
            for name in names:
                self._finish_unstarted(name, "the run stopped before it started")
            return
        finished = {name: (r.ok or r.allowed_failure, r.status.replace("_", " "))
                    for name, r in results.items()}
        self._graph = GraphState(self.run.tasks, names, finished, plan=self.run.plan,
                                 targets=self.run.options.get("targets") or ())
        self._record_blocked()
        with EventLoop() as loop:
            self._loop = loop
            self._runner = AttemptRunner(
                loop, self.printer, self.run, on_done=self._attempt_finished,
                on_failed=self._ask_failed, process_started=self._process_started,
                direct_output=self.direct_output, kill_grace=self.kill_grace,
                temp_dir=self._temp_dir)
            self._runner.on_retry = self._retry
            self._runner.interrupted = self.interrupted
            control = self.run.control
            if control is not None:
                control.attach(loop, self)
            try:
                self._run_loop(loop)
            finally:
                if control is not None:
                    control.detach()
                self._loop = None
        for name in list(self._graph.remaining):
            reason = ("interrupted before it started" if self.interrupted
                      else "not started: an earlier task failed")
            self._finish_unstarted(name, reason)

    def close(self) -> None:
        """Release resources held across :meth:`execute` calls."""
        if self._tmpdir:
            import shutil

            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def control(self, action: str, name: str) -> None:
        """Pause, resume or cancel ``name`` (called on the loop's thread by
        :class:`zr.executors.RunControl`)."""
        attempt = self._active.get(name)
        if attempt is not None:
            getattr(self._runner, action)(attempt)

    # -- the loop ----------------------------------------------------------

    def _run_loop(self, loop) -> None:
        runner = self._runner
        active = self._active
        while True:
            self._start_ready()
            if not active and not loop.live_timers and not loop.pending_callbacks:
                break  # nothing running; ready tasks, if any, may not start
            no_pidfd = any(a.child is not None and a.child.exit_fd is None
                           for a in active.values())
            for callback, attempt, what in loop.wait(_NO_PIDFD_POLL if no_pidfd else None):
                callback(attempt, what)
            if no_pidfd:
                runner.poll_without_pidfd(list(active.values()))
            loop.run_due()
            if loop.signals_received > self._signals_handled:
                self._handle_interrupt(loop)

    def _handle_interrupt(self, loop) -> None:
        """First Ctrl-C (SIGTERM, SIGHUP): stop every attempt, SIGKILL after
        the grace period. A second one: SIGKILL now."""
        first = not self.interrupted
        self._signals_handled = loop.signals_received
        self.interrupted = self._runner.interrupted = True
        self.stop_signal = self.stop_signal or loop.last_signal
        self._graph.stop()
        for attempt in list(self._active.values()):
            self._runner.interrupt(attempt, first, loop.last_signal)

    # -- starting ----------------------------------------------------------

    def _start_ready(self) -> None:
        if self.interrupted or (self.failed and not self.keep_going):
            return
        graph = self._graph
        while graph.ready:
            active = self._active.values()
            running = sum(1 for a in active if a.occupies_slot)
            free = self.jobs - running
            if free <= 0:
                return
            names = graph.take_startable(free, any(a.task.interactive for a in active),
                                         bool(self._active), self._admit)
            if not names:
                return
            tasks = self.run.tasks
            for name in names:
                self._begin(tasks[name])

    def _admits(self, task, started: list) -> bool:
        """``zr_task_admit``: may ``task`` start beside what runs and what
        this round already took (``started``)? Always, when nothing runs."""
        tasks = self.run.tasks
        running = [a.task for a in self._active.values() if a.occupies_slot]
        running += [tasks[name] for name in started]
        if not running:
            return True
        try:
            answers = self.hooks.call("zr_task_admit", task=task, running=running,
                                      run=self.run)
        except Exception as exc:  # a broken budget must not stall the run
            self.printer.warn(str(exc))
            self.hooks.show_traceback(exc)
            return True
        return not any(answer is False for answer in answers)

    def _begin(self, task) -> None:
        run = self.run
        try:
            reasons = [r for r in self.hooks.call("zr_task_skip", task=task, run=run) if r]
            if reasons and task.name not in run.force:
                self._graph.release(task)
                self._complete(task, model.TaskResult(task.name, model.SKIPPED,
                                                      message="; ".join(reasons)))
                return
            refusal = check_guards(task, run, self.hooks)
            if refusal:
                self._graph.release(task)
                self._complete(task, model.TaskResult(task.name, model.FAILED, attempts=0,
                                                      message=refusal))
                return
        except Exception as exc:
            self._graph.release(task)
            self._fail_before_start(task, exc, 1)
            return
        self.hooks.call("zr_task_start", task=task, run=run)
        self._attempt(task, 1)

    def _fail_before_start(self, task, exc: Exception, number: int) -> None:
        """A hook could not decide about ``task`` (a condition that cannot be
        evaluated, a plugin that raised): the task fails with the reason and
        the run goes on as after any failure, managing what is running."""
        from .errors import ZrError

        from .plugins import HookError

        message = str(exc) if isinstance(exc, ZrError) else \
            f"a plugin failed: {type(exc).__name__}: {exc}"
        if isinstance(exc, HookError) or not isinstance(exc, ZrError):
            self.hooks.show_traceback(exc)  # a bug's, not a message's
        self._active.pop(task.name, None)
        self._complete(task, model.TaskResult(task.name, model.FAILED, exit_code=None,
                                              attempts=number, message=message))

    def _attempt(self, task, number: int) -> None:
        """Start attempt ``number``: plan, transforms, the executor decision."""
        run = self.run
        try:
            plan = self.planner.plan(task, number) if self.planner else None
            if plan is not None and self._transform:
                self.hooks.call("zr_task_plan", task=task, plan=plan, run=run)
            decision = (self.hooks.call("zr_task_executor", task=task, plan=plan, run=run)
                        if self._decide else None)
        except Exception as exc:
            self._graph.release(task)
            self._fail_before_start(task, exc, number)
            return
        if isinstance(decision, model.TaskResult):
            self._graph.release(task)
            self._active.pop(task.name, None)
            decision.attempts = number
            self._complete(task, decision)
            return
        attempt = Attempt(task, plan, number)
        self._active[task.name] = attempt
        self._runner.start(attempt, decision)

    def _retry(self, attempt) -> None:
        if self.interrupted:
            self._attempt_finished(attempt, self._runner.result(
                attempt, model.INTERRUPTED, None, "interrupted"))
            return
        self._attempt(attempt.task, attempt.number + 1)

    def _process_started(self, task, pid: int) -> None:
        if self._observe_processes:
            self.hooks.call("zr_process_started", task=task, pid=pid, run=self.run)

    def _ask_failed(self, attempt, result):
        if not self._ask_on_failure:
            return None
        try:
            answer = self.hooks.call("zr_task_failed", task=attempt.task, result=result,
                                     run=self.run)
        except Exception as exc:
            self.printer.warn(str(exc))
            self.hooks.show_traceback(exc)
            return None
        return answer if answer in ("retry", "skip") else None

    # -- finishing -------------------------------------------------------------

    def _attempt_finished(self, attempt, result) -> None:
        self._graph.release(attempt.task)
        self._complete(attempt.task, result)

    def _complete(self, task, result) -> None:
        name = task.name
        self._active.pop(name, None)
        self.run.results[name] = result
        self.printer.end_task_output(name, result.ok)
        self.hooks.call("zr_task_finish", task=task, result=result, run=self.run)
        proceed = result.ok or result.allowed_failure
        if not proceed and result.status != model.INTERRUPTED:
            self.failed = True
        self._graph.finish(name, proceed, result.status.replace("_", " "))
        self._record_blocked()

    def _record_blocked(self) -> None:
        graph = self._graph
        for name, reason in graph.blocked:
            self.run.results[name] = model.TaskResult(name, model.BLOCKED, message=reason)
        graph.blocked.clear()

    def _finish_unstarted(self, name: str, reason: str) -> None:
        if name not in self.run.results:
            status = model.INTERRUPTED if self.interrupted else model.BLOCKED
            self.run.results[name] = model.TaskResult(name, status, message=reason)

    def _temp_dir(self) -> str:
        if self._tmpdir is None:
            import tempfile

            self._tmpdir = tempfile.mkdtemp(prefix="zr-run-")
        return self._tmpdir


def check_guards(task, run, hooks) -> str | None:
    """The message of the first ``require`` guard that is false, or None.

    Guards are expressions of a plugin when one is installed (the
    ``zr_evaluate`` hook); without one only ``env.NAME`` (set and not
    empty) and ``!env.NAME`` are understood.
    """
    for guard in task.field("require") or ():
        expression = guard["if"]
        value = hooks.call("zr_evaluate", expression=expression, task=task, run=run)
        if value is None:
            value = _plain_env_guard(expression, run.env_for(task), task)
        if not value:
            return guard["message"] or f"requirement not met: {expression}"
    return None


def _plain_env_guard(expression: str, env: dict, task) -> bool:
    text = expression.strip()
    negate = text.startswith("!")
    name = text.lstrip("!").strip()
    if not name.startswith("env.") or not name[4:].replace("_", "a").isalnum():
        from .errors import ConfigError

        raise ConfigError(f"require: '{expression}' needs an expression language plugin "
                          "(`zr plugins` lists what is installed); without one only "
                          "env.NAME and !env.NAME are understood",
                          key=f"tasks.{task.concurrency_group}.require")
    present = bool(env.get(name[4:]))
    return not present if negate else present


def summarize(run, duration: float, stop_signal=None) -> model.RunSummary:
    """The exit code and counts of a finished run (see DESIGN: exit codes):
    interrupted 130 (129 after SIGHUP), a failure 1 (127: command not found)."""
    results = run.results
    interrupted = any(r.status == model.INTERRUPTED for r in results.values())
    failed = [r for r in results.values()
              if r.status in (model.FAILED, model.TIMED_OUT) and not r.allowed_failure]
    if interrupted:
        code = 129 if stop_signal == getattr(signal, "SIGHUP", None) else 130
    elif failed:
        code = 127 if failed[0].exit_code == 127 else 1
    else:
        code = 0
    return model.RunSummary(dict(results), code, duration, interrupted)
