"""Every hook zr calls: the one public contract between the kernel and plugins.

A plugin is a module (or object) registered on the entry-point group ``zr``.
It implements hooks by defining functions with these names, decorated with
:data:`zr.api.hookimpl`. Arguments are passed by keyword, so an implementation
may accept any subset of a hook's parameters (as in pluggy and pytest).

How a hook is called is part of its spec, never chosen by the caller:
``firstresult`` hooks stop at the first non-None result, the others collect
every non-None result. Implementations run in pluggy's order: ``tryfirst``
first, ``trylast`` last, later-registered before earlier within each group.

Rules that never change once a hook is released: a hook is not renamed and
its parameters are not re-shaped; a new need gets a new hook. Hooks that
belong to one plugin (the cache plugin's ``zr_cache_key``, the expr plugin's
``zr_expr_functions``) live in that plugin's own spec module, added through
:func:`zr_addhooks`.

An implementation that raises names its plugin and distribution in the
error (the traceback with ``-v`` or ``ZR_DEBUG=1``). In the observer hooks
(:data:`OBSERVERS`) it is a warning: the result and exit code do not change
and the other plugins' implementations still run.

Types named below are in :mod:`zr.api`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional, Union

import pluggy

from .markers import hookimpl  # noqa: F401  (the same marker, without pluggy)

if TYPE_CHECKING:  # pragma: no cover - names for the annotations only
    import click

    from .api import Executor
    from .config import Config, ConfigRegistry
    from .errors import ConfigProblem
    from .model import ProcessPlan, Run, RunSummary, Task, TaskResult
    from .options import OptionRegistry

hookspec = pluggy.HookspecMarker("zr")

# Hooks that only watch: an exception in one is a warning, never a failure.
OBSERVERS = frozenset({"zr_run_start", "zr_task_start", "zr_task_finish", "zr_run_finish",
                       "zr_process_started"})
# Observers that may still refuse on purpose: a ZrError (a message for the
# user, such as a malformed .env file) from zr_run_start stops the run
# before any task starts, with exit 2; other exceptions are warnings.
MAY_REFUSE = frozenset({"zr_run_start"})


# --- plugins extending plugins -----------------------------------------


@hookspec(historic=True)
def zr_addhooks(pluginmanager: pluggy.PluginManager) -> None:
    """Add new hookspecs so that other plugins can implement them.

    Called (historic) with the ``pluggy.PluginManager`` when zr builds it,
    and once when the plugin index is built (with a stand-in that records
    the specs, so later runs know them without importing anything). Call
    ``pluginmanager.add_hookspecs(module_or_class)`` with your spec module
    (its functions decorated with :data:`zr.api.hookspec`), then call your
    hook with ``config.plugins.call("your_hook", ...)`` (no pluggy import;
    ``firstresult`` read from your spec) or ``config.plugins.pm.hook.your_hook(...)``
    (every plugin is registered first). Do nothing else here: it may run
    when no project is loaded. Return value ignored.
    """


# --- configuration ------------------------------------------------------


@hookspec
def zr_config_sections(registry: ConfigRegistry) -> None:
    """Claim top-level tables and task fields of ``zr.toml``.

    Called when a ``zr.toml`` is validated (not when a cached, already
    validated one is reused), and by ``zr validate --schema``. ``registry``
    is a :class:`zr.config.ConfigRegistry`:

    - ``registry.section(name, schema, help=...)`` claims ``[name]``; the
      schema is an attrs class (or a typing type such as
      ``dict[str, MyAttrsClass]``) that cattrs structures with
      ``forbid_extra_keys``.
    - ``registry.task_field(name, type, default=None, help=...)`` claims
      ``tasks.<task>.<name>``.

    Two plugins claiming the same name is a configuration error naming both.
    Return value ignored.
    """


@hookspec
def zr_options(registry: OptionRegistry) -> None:
    """Add command-line options that apply to running tasks.

    ``registry`` is a :class:`zr.options.OptionRegistry`;
    ``registry.add(name, flags, help=..., takes_value=True, multiple=False,
    envvar=None, default=None)`` adds an option accepted by ``zr run``,
    ``zr list``, ``zr graph``, ``zr workflow`` and the bare ``zr TASK``
    form. Its value reaches plugins as ``config.options[name]``.
    Example: the profiles plugin adds ``--profile`` (envvar ``ZR_PROFILE``).
    Return value ignored.
    """


@hookspec
def zr_cli_commands(cli: click.Group) -> None:
    """Add click commands or groups to the ``zr`` command line.

    ``cli`` is the root :class:`click.Group`; call ``cli.add_command(cmd)``.
    Called only when a command other than the built-in fast paths is used
    (``zr list`` and ``zr run`` do not build the click app), so importing
    heavy libraries inside the command callbacks keeps ``zr`` fast.
    A command name claimed twice is an error naming both plugins.
    Return value ignored.
    """


@hookspec
def zr_plugin_rows(config: Config) -> Optional[list[dict]]:
    """Rows ``zr plugins`` adds for plugins that are not Python
    distributions: those a plugin hosts itself (the WASM modules of
    ``[plugins.wasm]``), which the plugin index cannot see.

    Called only by ``zr plugins`` run in a project, with the loaded
    configuration (so it may import what it needs). Return a list with one
    dict per hosted plugin: ``name``, ``origin`` (shown in parentheses: a
    file, a URL), ``hooks`` (the hook names it implements), ``details``
    (further lines to show, such as its permissions), ``error`` (None, or
    why it is broken); other keys appear in ``zr plugins --json``. Return
    None when the project has none.
    """


@hookspec
def zr_configure(config: Config) -> None:
    """React to a loaded, validated configuration.

    Called once per invocation after ``zr.toml`` is loaded and before tasks
    are expanded. ``config`` is a :class:`zr.config.Config`. Raise
    :class:`zr.errors.ConfigError` to reject the configuration with a
    one-paragraph message. Return value ignored.
    """


@hookspec
def zr_validate(config: Config) -> Optional[list[ConfigProblem]]:
    """Check the configuration more deeply than its types.

    Called by every load (cheap checks only) and by ``zr validate``. Return a
    list of :class:`zr.errors.ConfigProblem` (errors and warnings), or None.
    Example: the expr plugin parses every ``condition`` and reports the
    column of a syntax error.
    """


@hookspec
def zr_expand_tasks(config: Config, tasks: dict[str, Task]) -> None:
    """Reshape the task table before the graph is built.

    ``tasks`` is the mutable ``dict[str, Task]`` of all tasks. Add, replace or
    remove entries (matrix expansion, profile overrides, workspace members).
    Called once per invocation, after :func:`zr_configure`, before ``list``,
    ``graph``, ``--dry-run`` and ``run`` see the tasks. Plugins are called
    in registration order; use ``tryfirst``/``trylast`` to order. Return
    value ignored.
    """


@hookspec(firstresult=True)
def zr_choose_targets(config: Config) -> Optional[list[str]]:
    """Offer a choice of tasks when none was named.

    Called when ``zr`` (or ``zr run``) is given no task and ``[settings]
    default`` is unset, before zr falls back to its help. Return a list of
    task words to run (what would follow ``zr run``), an empty list when the
    user chose nothing (zr exits 0), or None to leave it to the next plugin
    (then zr shows its help, as without plugins). Example: a task picker
    when stdin and stdout are a terminal.
    """


@hookspec(firstresult=True)
def zr_default_jobs(config: Config) -> Optional[int]:
    """Offer the default for ``--jobs`` (how many tasks run at once).

    Called once per run, before :func:`zr_run_start`, only when the user
    gave no ``-j``, ``ZR_JOBS`` or ``[settings] jobs``. Return a positive
    int, or None to leave it to the next plugin and then to the CPU count.
    Example: the dask plugin returns the cluster's total worker threads.
    """


# --- one run ------------------------------------------------------------


@hookspec
def zr_run_start(run: Run) -> None:
    """A run is about to start. ``run`` is a :class:`zr.model.Run` whose
    ``plan`` lists the tasks in the order they may start. Raise a
    :class:`zr.errors.ZrError` to refuse the run (exit 2); any other
    exception is a warning. Return value ignored."""


@hookspec
def zr_task_skip(task: Task, run: Run) -> Optional[str]:
    """Decide whether a ready task should be skipped.

    Called when all of ``task``'s dependencies have finished, before it
    starts. Return a short reason (``"condition is false"``) to skip it, or
    None. The task is skipped if any implementation returns a reason; a
    skipped task counts as done, so its dependents still run.
    """


@hookspec
def zr_task_admit(task: Task, running: list[Task], run: Run) -> Optional[bool]:
    """Decide whether a ready task may start now, beside what runs.

    Called in the scheduler's start loop for a task that is ready and has a
    free ``--jobs`` slot, only while something else runs (a task is always
    admitted when nothing runs, so a run never stalls), and only when some
    plugin implements it. ``running`` is the list of :class:`zr.model.Task`
    objects running now (tasks waiting for a retry do not count). Return
    False to hold the task back until another task finishes (tasks after it
    that fit still start, as with ``max_concurrent``), True or None to let
    it start. Every implementation is called; any False defers. Example:
    the resources plugin's run-wide memory and CPU budgets.
    """


@hookspec
def zr_task_env(task: Task, env: dict[str, str], run: Run) -> None:
    """Adjust the environment of a task's process.

    ``env`` is the ``dict[str, str]`` the process will get, already composed
    as process env < ``[env]`` < task ``env`` < ``--env``. Mutate it in
    place (the env plugin fills in ``.env`` values with ``setdefault``; a
    toolchain prepends to ``PATH``). Called once per attempt (the first
    attempt's environment also answers conditions, guards and
    ``run.env_for`` before it starts). Return value ignored.
    """


@hookspec
def zr_task_plan(task: Task, plan: ProcessPlan, run: Run) -> None:
    """Transform the process plan of one attempt, in place.

    Every implementation is called, in pluggy's order (``tryfirst`` first,
    ``trylast`` last), so plans compose: a toolchain prepends to
    ``plan.env["PATH"]``, Docker wraps each command in ``docker run``,
    a resource limiter wraps them in its launcher. Change
    ``plan.argvs`` (a list of argv lists, run one after another),
    ``plan.env``, ``plan.cwd``, ``plan.timeout``; call
    ``plan.add_key(label, value)`` to add a labelled part to the cache key
    (an image digest, a tool version). The cache key is computed from the
    final plan, except what says how the task runs on this machine rather
    than what it computes: ``plan.wrap(prefix, key=label)`` (a container,
    a launcher: the key sees the label, not the prefix) and
    ``plan.set_env(name, value, key=False)`` (an install path in ``PATH``).
    Called for every attempt, including retries, and by
    ``run.plan_for(task)`` (``zr cache key``) without running anything.
    Return value ignored.
    """


@hookspec(firstresult=True)
def zr_task_executor(task: Task, plan: ProcessPlan,
                     run: Run) -> Union[None, TaskResult, Executor]:
    """Decide how the final plan of one attempt runs.

    Called after every :func:`zr_task_plan`. Return:

    - None: the next plugin decides; when every one returns None the kernel
      runs ``plan`` locally as processes.
    - a :class:`zr.api.TaskResult`: the attempt is done without a process
      (a local cache hit that restored outputs and replayed its log).
    - an executor (protocol :class:`zr.api.Executor`): ``start(handle)``
      must not block; report through the thread-safe
      :class:`zr.api.AttemptHandle` (``output``, ``finish``,
      ``run_locally``). The scheduler waits on it in its loop, streams its
      output, calls ``cancel(signum)`` on timeout and Ctrl-C.
      :class:`zr.api.ThreadExecutor` runs a function in a worker thread:
      the cache plugin downloads a remote entry that way, so a slow server
      never delays another task's output.
    """


@hookspec
def zr_process_started(task: Task, pid: int, run: Run) -> None:
    """The local runner started a process of ``task``'s attempt. ``pid`` is
    its process-group leader (for monitors that sample the process tree).
    Called for each command of the attempt and for ``finally``. Observer:
    an exception is a warning. Return value ignored."""


@hookspec(firstresult=True)
def zr_task_failed(task: Task, result: TaskResult, run: Run) -> Optional[str]:
    """A task failed or timed out and has no retries left.

    ``result`` is what it would end with. Return ``"retry"`` to run it once
    more (a new attempt, as a retry), ``"skip"`` to end it as skipped (its
    dependents run), or None to let it fail as usual. The terminal view
    asks the user here. Not called after Ctrl-C.
    """


@hookspec
def zr_list_entries(config: Config) -> list[tuple[str, str, str]]:
    """What ``zr list`` shows beside the tasks.

    Return ``(name, kind, description)`` tuples (the workflows plugin:
    ``("ci", "workflow", "lint, test and build")``), shown as
    ``ci (workflow)  lint, test and build`` and in ``zr list --format json`` with
    ``"kind": "workflow"``; or None.
    """


@hookspec(firstresult=True)
def zr_list_fold(config: Config, tasks: list[Task]) -> Optional[list]:
    """A shorter ``zr list`` for a project with too many tasks to read.

    ``tasks`` are the public tasks the text listing would show, in order.
    Return sections ``(heading, rows)`` to print instead of them, or None
    for the usual listing: ``heading`` is a line above the rows (None:
    none), ``rows`` are ``(label, description)`` pairs, aligned like the
    usual listing; sections are separated by a blank line. Not called for
    ``zr list --all`` (every task, one a line) nor ``--format json`` (always
    everything). The workspace plugin folds a root's ``member:task`` names
    into one line per task name.
    """


@hookspec(firstresult=True)
def zr_unknown_task(name: str, config: Config) -> Optional[str]:
    """A name given on the command line is neither a task nor an alias.

    Return a one-line message telling the user what ``name`` is instead
    (the workflows plugin: "'ci' is a workflow, not a task: run it with
    `zr workflow ci`"), or None; zr exits 2 with it, or with its own
    "unknown task" message.
    """


@hookspec
def zr_task_start(task: Task, run: Run) -> None:
    """A task's first attempt is about to start. Set ``run.capture(task)``
    to have its output saved to a log file for :func:`zr_task_finish`.
    Return value ignored."""


@hookspec
def zr_task_finish(task: Task, result: TaskResult, run: Run) -> None:
    """A task has finished (succeeded, failed, was skipped, cached, timed out
    or was interrupted). ``result`` is a :class:`zr.model.TaskResult`;
    ``result.log_path`` holds its captured output when capture was asked for
    in :func:`zr_task_start`. Store cache entries, record history here.
    An implementation may turn a success into a failure by setting
    ``result.status = "failed"`` and ``result.message`` (the cache plugin does
    when a declared output was not produced); dependents then do not run.
    Exceptions are reported as warnings and never change the result.
    Return value ignored."""


@hookspec
def zr_run_finish(run: Run, summary: RunSummary) -> None:
    """A run has ended. ``summary`` is a :class:`zr.model.RunSummary`
    (results by task, exit code, wall time). Called even when the run was
    interrupted or failed. Record history, send notifications, wait for
    background uploads here. Return value ignored."""


# --- extension points of built-in features ------------------------------


@hookspec(firstresult=True)
def zr_evaluate(expression: str, task: Task, run: Run) -> Optional[bool]:
    """Evaluate a condition expression (a ``require`` guard) for ``task``.

    Return its truth value (a bool), or None when you do not evaluate
    expressions. The expr plugin implements it; without any implementation
    the kernel understands only ``env.NAME`` and ``!env.NAME``. Raise
    :class:`zr.errors.ZrError` for an expression that cannot be evaluated.
    """


# --- graph views -----------------------------------------------------------


@hookspec(firstresult=True)
def zr_graph_render(config: Config, targets: list[str], format: str) -> Optional[str]:
    """Draw ``zr graph`` in ``format`` (the ``--format`` word).

    Called by ``zr graph`` before the kernel draws its own ``text`` and
    ``json`` views. ``targets`` are the task names given on the command line
    (possibly none); ``config.tasks`` and ``config.graph`` hold the expanded
    tasks. Return the whole output as a str (zr writes it to standard output,
    or atomically to ``-o FILE``), or None to leave the format to the next
    plugin and then to the kernel. A format nobody draws is a usage error.
    Example: the workspace plugin draws members in ``dot``, ``mermaid`` and a
    self-contained ``html`` page, and draws members instead of tasks when no
    task is named.
    """
