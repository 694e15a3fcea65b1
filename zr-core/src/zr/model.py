"""The runtime objects hooks receive: tasks, plans, results and runs.

These are plain classes with ``__slots__`` rather than attrs classes: they
are built on every invocation, including the start-up path of ``zr list``
and ``zr run``, where importing attrs would cost more than the whole run of a
trivial task. The validated *schema* of ``zr.toml`` lives in
:mod:`zr.config.schema` (attrs + cattrs); these classes hold its result.
"""

from __future__ import annotations

import os
import time

# Task result statuses.
SUCCESS = "success"
FAILED = "failed"
SKIPPED = "skipped"
CACHED = "cached"
TIMED_OUT = "timed_out"
INTERRUPTED = "interrupted"
BLOCKED = "blocked"  # not started: a dependency failed, or the run stopped

OK_STATUSES = frozenset({SUCCESS, SKIPPED, CACHED})


class Retry:
    """How often and how patiently a failed task is re-run."""

    __slots__ = ("count", "delay", "backoff", "max_delay")

    def __init__(self, count: int = 0, delay: float = 0.0, backoff: float = 1.0,
                 max_delay: float | None = None):
        self.count = count
        self.delay = delay
        self.backoff = backoff
        self.max_delay = max_delay

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before attempt number ``attempt`` (2 = first retry)."""
        delay = self.delay * (self.backoff ** max(0, attempt - 2))
        if self.max_delay is not None:
            delay = min(delay, self.max_delay)
        return delay


NO_RETRY = Retry()


class Task:
    """One runnable task, as the graph and the scheduler see it.

    Core fields are attributes; fields claimed by plugins (``condition``,
    ``matrix``, ``cache``, ``inputs``...) are in ``fields`` as the validated
    values from ``zr.toml``. ``copy(**changes)`` makes a variant (matrix
    cells, profile overrides) without touching the original; the variant
    keeps the original's ``concurrency_group`` (give ``concurrency_group=``
    to start a group of its own).
    """

    __slots__ = (
        "name", "cmds", "cwd", "description", "deps", "deps_serial", "env", "retry",
        "timeout", "allow_failure", "max_concurrent", "shell", "private", "aliases",
        "finally_cmds", "interactive", "fields", "source", "concurrency_group", "after",
    )

    def __init__(self, name: str, *, cmds=(), cwd: str = ".", description: str = "",
                 deps=(), deps_serial=(), env=None, retry: Retry = NO_RETRY,
                 timeout: float | None = None, allow_failure: bool = False,
                 max_concurrent: int | None = None, shell=None, private: bool = False,
                 aliases=(), finally_cmds=(), interactive: bool = False, fields=None,
                 source: str | None = None, concurrency_group: str | None = None,
                 after=None):
        self.name = name
        self.cmds = list(cmds)
        self.cwd = cwd
        self.description = description
        self.deps = list(deps)
        self.deps_serial = list(deps_serial)
        self.env = dict(env or {})
        self.retry = retry
        self.timeout = timeout
        self.allow_failure = allow_failure
        self.max_concurrent = max_concurrent
        self.shell = list(shell) if shell else None
        self.private = private
        self.aliases = list(aliases)
        self.finally_cmds = list(finally_cmds)
        self.interactive = interactive
        self.fields = dict(fields or {})
        self.source = source
        # Tasks of one group share a max_concurrent limit: a copy (a matrix
        # cell, a parameter instance) stays in the group of what it copies.
        self.concurrency_group = concurrency_group or name
        # Order-only edges from deps_serial chains: task this one starts
        # after -> the task whose chain asks for it. Not dependencies: they
        # pull nothing into a run, and the graph sets them (zr.graph).
        self.after = dict(after or {})

    @property
    def all_deps(self) -> list:
        """Parallel and serial dependencies, in declaration order."""
        return self.deps + [d for d in self.deps_serial if d not in self.deps]

    def field(self, name: str, default=None):
        """The value of a plugin-claimed task field, or ``default``."""
        return self.fields.get(name, default)

    def copy(self, **changes) -> "Task":
        clone = Task.__new__(Task)
        for slot in Task.__slots__:
            value = getattr(self, slot)
            if isinstance(value, (list, dict)):
                value = value.copy()
            setattr(clone, slot, value)
        for key, value in changes.items():
            setattr(clone, key, value)
        return clone

    def __repr__(self) -> str:
        return f"Task({self.name!r})"


class ProcessPlan:
    """What one attempt of a task executes, built by the kernel and then
    transformed by every ``zr_task_plan`` implementation.

    ``argvs`` are the commands the task computes with, run one after
    another in ``cwd`` with ``env``; the first non-zero exit stops the
    attempt. What actually runs is :meth:`commands`: ``argvs`` inside the
    ``wrappers`` added with :meth:`wrap` (a container, a launcher), which
    say how the commands run on this machine and stay out of the cache key.
    ``timeout`` (seconds) bounds the whole attempt; on expiry the process
    group gets SIGTERM, then SIGKILL after ``grace`` seconds. ``key_parts``
    are ``(label, value)`` pairs plugins add with :meth:`add_key` for the
    cache key; ``declared_env`` names the variables zr.toml and ``--env``
    set (the rest of ``env`` is inherited, see :meth:`key_env`);
    ``unkeyed_env`` names variables set with ``set_env(..., key=False)``.
    """

    __slots__ = ("argvs", "env", "cwd", "timeout", "grace", "key_parts", "declared_env",
                 "inherited_env", "wrappers", "unkeyed_env")

    def __init__(self, argvs, env: dict, cwd: str, timeout: float | None = None,
                 grace: float = 5.0, *, declared_env=(), inherited_env=None):
        self.argvs = [list(a) for a in argvs]
        self.env = env
        self.cwd = cwd
        self.timeout = timeout
        self.grace = grace
        self.key_parts: list = []
        self.declared_env = declared_env  # a set of names (shared, not copied)
        self.inherited_env = os.environ if inherited_env is None else inherited_env
        self.wrappers: list = []      # (prefix list or callable(index), key label or None)
        self.unkeyed_env: set = set()

    def wrap(self, prefix, key: str | None = None) -> None:
        """Run every command inside ``prefix``: a list of words put before
        each command (``["nice", "-n", "10"]``), or a function of the
        command's index returning that list (a container name per command).
        Use it for how the commands run *here* (a ``docker run`` with this
        machine's paths and uid, a launcher at ``sys.executable``), not for
        what they compute: the cache key sees ``key`` (a label such as the
        image, or None for nothing) instead of the prefix, so checkouts and
        machines share keys. Wrappers apply after every transform, the first
        one innermost; ``argvs`` keeps the unwrapped commands."""
        self.wrappers.append((prefix if callable(prefix) else list(prefix), key))
        if key is not None:
            self.add_key("wrapped in", key)

    def commands(self) -> list:
        """The argv lists that run: ``argvs`` inside every wrapper."""
        argvs = self.argvs
        for prefix, _ in self.wrappers:
            argvs = [(prefix(index) if callable(prefix) else prefix) + argv
                     for index, argv in enumerate(argvs)]
        return [list(argv) for argv in argvs]

    def set_env(self, name: str, value: str, *, key: bool = True) -> None:
        """Set ``env[name]``; with ``key=False`` the variable stays out of
        :meth:`key_env` (an install location in ``PATH`` or ``JAVA_HOME``
        that differs between machines: key what it stands for, such as the
        tool's version, with :meth:`add_key`)."""
        self.env[name] = value
        if key:
            self.unkeyed_env.discard(name)
        else:
            self.unkeyed_env.add(name)

    def add_key(self, label: str, value: str) -> None:
        """Add a labelled part to the attempt's cache key (one line of
        ``zr cache key --explain``): what changes the output but is not in
        the argvs or env (an image digest, a tool's version)."""
        self.key_parts.append((str(label), str(value)))

    def key_env(self) -> dict:
        """The part of ``env`` that describes what runs: every variable
        zr.toml or ``--env`` declared, and every one a plugin added or
        changed; not what the process merely inherits, nor the kernel's
        location variables (``ZR_PROJECT_ROOT``, ``ZR_INVOCATION_DIR``),
        which differ between checkouts, nor what was set with
        ``set_env(..., key=False)``."""
        inherited = self.inherited_env
        declared = self.declared_env
        unkeyed = self.unkeyed_env
        return {name: value for name, value in sorted(self.env.items())
                if name not in _LOCATION_VARIABLES and name not in unkeyed
                and (name in declared or inherited.get(name) != value)}

    def __repr__(self) -> str:
        wrapped = f", wrappers={len(self.wrappers)}" if self.wrappers else ""
        return f"ProcessPlan({self.argvs!r}, cwd={self.cwd!r}{wrapped})"


_LOCATION_VARIABLES = frozenset({"ZR_PROJECT_ROOT", "ZR_INVOCATION_DIR"})


class TaskResult:
    """How a task ended. ``ok`` is True for success, skipped and cached.

    ``exit_code`` is the last attempt's exit status (negative: killed by
    that signal, as in :mod:`subprocess`). ``extra`` is free for plugins
    (the cache plugin stores ``saved_seconds``).
    """

    __slots__ = ("name", "status", "exit_code", "duration", "attempts", "message",
                 "log_path", "started_at", "extra", "allowed_failure")

    def __init__(self, name: str, status: str, *, exit_code: int | None = None,
                 duration: float = 0.0, attempts: int = 0, message: str = "",
                 log_path: str | None = None, started_at: float | None = None,
                 extra=None, allowed_failure: bool = False):
        self.name = name
        self.status = status
        self.exit_code = exit_code
        self.duration = duration
        self.attempts = attempts
        self.message = message
        self.log_path = log_path
        self.started_at = time.time() if started_at is None else started_at
        self.extra = dict(extra or {})
        self.allowed_failure = allowed_failure

    @property
    def ok(self) -> bool:
        return self.status in OK_STATUSES

    def to_json(self) -> dict:
        return {
            "task": self.name, "status": self.status, "exit_code": self.exit_code,
            "duration": round(self.duration, 6), "attempts": self.attempts,
            "message": self.message, "allowed_failure": self.allowed_failure,
            **({"extra": self.extra} if self.extra else {}),
        }

    def __repr__(self) -> str:
        return f"TaskResult({self.name!r}, {self.status!r}, exit_code={self.exit_code})"


class RunSummary:
    """The outcome of one ``zr run``: every task's result and the exit code."""

    __slots__ = ("results", "exit_code", "duration", "interrupted")

    def __init__(self, results: dict, exit_code: int, duration: float, interrupted: bool):
        self.results = results
        self.exit_code = exit_code
        self.duration = duration
        self.interrupted = interrupted

    def count(self, status: str) -> int:
        return sum(1 for r in self.results.values() if r.status == status)

    @property
    def failed(self) -> list:
        return [r for r in self.results.values() if not r.ok and not r.allowed_failure
                and r.status != BLOCKED]


class Run:
    """One invocation's execution state, shared with every lifecycle hook.

    ``plan`` is the task names in a valid start order; ``results`` fills in
    as tasks finish (so ``tasks['x'].success`` conditions can read it);
    ``state`` is a scratch dict for plugins, keyed by plugin name.
    """

    __slots__ = ("config", "tasks", "plan", "options", "results", "state", "started_at",
                 "_capture", "force", "env_for", "plan_for", "printer", "control")

    def __init__(self, config, tasks: dict, plan: list, options: dict, *,
                 force=frozenset()):
        self.config = config
        self.tasks = tasks
        self.plan = plan
        self.options = options
        self.results: dict = {}
        self.state: dict = {}
        self.started_at = time.time()
        self._capture: set = set()
        self.force = frozenset(force)
        # env_for(task) -> the environment the task's process gets, for plugins
        # that evaluate things "as the task would see it". The runner replaces
        # this first approximation with the full composition (--env, hooks).
        self.env_for = lambda task: {**os.environ, **(config.env if config else {}),
                                     **task.env}
        # plan_for(task) -> the final ProcessPlan of the task's next attempt
        # (zr_task_plan applied), built without running anything: for
        # plugins that describe a task (``zr cache key``). Set by the runner.
        self.plan_for = None
        # The run's zr.output.Printer, for plugins that show task output (a
        # cache hit replays its log through it). Set by the runner.
        self.printer = None
        # A zr.api.RunControl: pause, resume or cancel a running task from
        # any thread (a terminal view). Set by the runner.
        self.control = None

    def capture(self, task: Task) -> None:
        """Ask for ``task``'s output to be saved to ``result.log_path``."""
        self._capture.add(task.name)

    def wants_capture(self, name: str) -> bool:
        return name in self._capture
