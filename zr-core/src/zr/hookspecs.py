"""Every hook zr calls: the one public contract between the kernel and plugins.

A plugin is a module (or object) registered on the entry-point group ``zr``.
It implements hooks by defining functions with these names, decorated with
:data:`zr.hookimpl`. Arguments are passed by keyword, so an implementation may
accept any subset of a hook's parameters (as in pluggy and pytest).

Rules that never change once a hook is released: a hook is not renamed and
its parameters are not re-shaped; a new need gets a new hook.

Types named below live in :mod:`zr.model` (``Task``, ``TaskResult``,
``ProcessPlan``, ``Run``, ``RunSummary``), :mod:`zr.config` (``Config``,
``ConfigRegistry``) and :mod:`zr.options` (``OptionRegistry``).
"""

from __future__ import annotations

import pluggy

from .markers import hookimpl  # noqa: F401  (the same marker, without pluggy)

hookspec = pluggy.HookspecMarker("zr")


# --- plugins extending plugins -----------------------------------------


@hookspec(historic=True)
def zr_addhooks(pluginmanager):
    """Add new hookspecs so that other plugins can implement them.

    Called (historic) with the ``pluggy.PluginManager`` when zr builds it:
    the first time anything reads ``config.plugins.pm`` (zr calls its own
    hooks without pluggy, to start fast). Call
    ``pluginmanager.add_hookspecs(module_or_class)``, then call your hook
    with ``config.plugins.pm.hook.your_hook(...)``. Return value ignored.
    """


# --- configuration ------------------------------------------------------


@hookspec
def zr_config_sections(registry):
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
def zr_options(registry):
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
def zr_cli_commands(cli):
    """Add click commands or groups to the ``zr`` command line.

    ``cli`` is the root :class:`click.Group`; call ``cli.add_command(cmd)``.
    Called only when a command other than the built-in fast paths is used
    (``zr list`` and ``zr run`` do not build the click app), so importing
    heavy libraries inside the command callbacks keeps ``zr`` fast.
    A command name claimed twice is an error naming both plugins.
    Return value ignored.
    """


@hookspec
def zr_configure(config):
    """React to a loaded, validated configuration.

    Called once per invocation after ``zr.toml`` is loaded and before tasks
    are expanded. ``config`` is a :class:`zr.config.Config`. Raise
    :class:`zr.errors.ConfigError` to reject the configuration with a
    one-paragraph message. Return value ignored.
    """


@hookspec
def zr_validate(config):
    """Check the configuration more deeply than its types.

    Called by every load (cheap checks only) and by ``zr validate``. Return a
    list of :class:`zr.errors.ConfigProblem` (errors and warnings), or None.
    Example: the expr plugin parses every ``condition`` and reports the
    column of a syntax error.
    """


@hookspec
def zr_expand_tasks(config, tasks):
    """Reshape the task table before the graph is built.

    ``tasks`` is the mutable ``dict[str, Task]`` of all tasks. Add, replace or
    remove entries (matrix expansion, profile overrides, workspace members).
    Called once per invocation, after :func:`zr_configure`, before ``list``,
    ``graph``, ``--dry-run`` and ``run`` see the tasks. Plugins are called
    in registration order; use ``tryfirst``/``trylast`` to order. Return
    value ignored.
    """


@hookspec(firstresult=True)
def zr_choose_targets(config):
    """Offer a choice of tasks when none was named.

    Called when ``zr`` (or ``zr run``) is given no task and ``[settings]
    default`` is unset, before zr falls back to its help. Return a list of
    task words to run (what would follow ``zr run``), an empty list when the
    user chose nothing (zr exits 0), or None to leave it to the next plugin
    (then zr shows its help, as without plugins). Example: a task picker
    when stdin and stdout are a terminal.
    """


# --- one run ------------------------------------------------------------


@hookspec
def zr_run_start(run):
    """A run is about to start. ``run`` is a :class:`zr.model.Run` whose
    ``plan`` lists the tasks in the order they may start. Return value
    ignored."""


@hookspec
def zr_task_skip(task, run):
    """Decide whether a ready task should be skipped.

    Called when all of ``task``'s dependencies have finished, before it
    starts. Return a short reason (``"condition is false"``) to skip it, or
    None. The task is skipped if any implementation returns a reason; a
    skipped task counts as done, so its dependents still run.
    """


@hookspec
def zr_task_env(task, env, run):
    """Adjust the environment of a task's process.

    ``env`` is the ``dict[str, str]`` the process will get, already composed
    as process env < ``[env]`` < task ``env`` < ``--env``. Mutate it in
    place (the env plugin fills in ``.env`` values with ``setdefault``; a
    toolchain prepends to ``PATH``). Return value ignored.
    """


@hookspec(firstresult=True)
def zr_run_task(task, plan, run):
    """Decide how one attempt of a task runs.

    ``plan`` is the default :class:`zr.model.ProcessPlan` (commands, shell,
    env, cwd, timeout) the kernel would run. Return:

    - a :class:`zr.model.TaskResult` when the task finished without a
      process (a cache hit replays its log and restores outputs),
    - a different ``ProcessPlan`` to run instead (docker wraps the
      commands in ``docker run``),
    - or None to let the next plugin decide; when every implementation
      returns None the kernel runs ``plan``.

    Called for every attempt, including retries.
    """


@hookspec
def zr_task_start(task, run):
    """A task's first attempt is about to start. Set ``run.capture(task)``
    to have its output saved to a log file for :func:`zr_task_finish`.
    Return value ignored."""


@hookspec
def zr_task_finish(task, result, run):
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
def zr_run_finish(run, summary):
    """A run has ended. ``summary`` is a :class:`zr.model.RunSummary`
    (results by task, exit code, wall time). Called even when the run was
    interrupted or failed. Record history, send notifications, wait for
    background uploads here. Return value ignored."""


# --- extension points of built-in features ------------------------------


@hookspec
def zr_cache_key(task, hasher, run):
    """Add to a task's cache key.

    ``hasher`` has ``update(label: str, value: bytes | str)``; each call
    appears as one line in ``zr cache key --explain``. The cache plugin
    hashes command, inputs, env inputs, dependency keys, platform and zr
    version itself; add what else changes a task's output (a toolchain
    version, a docker image digest). Return value ignored.
    """


@hookspec
def zr_cache_backends(register):
    """Register remote cache backends.

    Called by the cache plugin when a loaded project has a
    ``[cache.remote]`` (to check its settings, and when a run uses it).
    ``register(type_name, factory, *, spec=None)``: ``type_name`` is what
    ``[cache.remote] type = "..."`` selects; ``factory`` is a callable or a
    ``"module:attribute"`` string (imported only when used), and
    ``factory(settings: dict, project_root: pathlib.Path)`` returns an object
    with ``get(key) -> bytes-iterator | None``, ``put(key, path)`` and
    ``describe() -> str``, optionally ``check()`` and ``delete(key)`` (see
    the cache plugin's ``RemoteBackend`` protocol); ``spec`` declares the
    backend's settings for validation. Import the backend's SDK inside the
    factory, not at module import. Return value ignored.
    """


@hookspec
def zr_expr_functions(register):
    """Add names and functions to the condition expression language.

    ``register(name, func, help=...)``: ``name`` is dotted (``git.branch``);
    ``func(ctx, *args)`` receives an evaluation context and literal
    arguments and returns a str, number or bool. A function may raise
    ``zr.errors.ZrError`` with a message for the user. Return value ignored.
    """


@hookspec(firstresult=True)
def zr_evaluate(expression, task, run):
    """Evaluate a condition expression (a ``require`` guard) for ``task``.

    Return its truth value (a bool), or None when you do not evaluate
    expressions. The expr plugin implements it; without any implementation
    the kernel understands only ``env.NAME`` and ``!env.NAME``. Raise
    :class:`zr.errors.ZrError` for an expression that cannot be evaluated.
    """


# --- graph views -----------------------------------------------------------


@hookspec(firstresult=True)
def zr_graph_render(config, targets, format):
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
