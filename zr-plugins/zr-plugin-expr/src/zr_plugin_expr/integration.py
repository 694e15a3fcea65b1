"""Conditions in a zr run: checking them at load, evaluating them per task.

The plugin's hooks are one-liners that call in here, so that loading the
plugin costs nothing for a project without conditions.

A task's condition sees:

- ``tasks[...]``: the results of this run so far (``run.results``); a task
  of the configuration that has not finished reads as not run, a name
  that is not a task at all is an error (with a suggestion);
- ``env``: the environment the task's process gets (``run.env_for``: the
  process environment < ``[env]`` < the task's ``env`` < ``--env``, then
  plugins' additions such as ``.env`` files);
- ``cwd``: the task's working directory (for ``file.*`` and ``shell``);
- every function registered through ``zr_expr_functions``.
"""

from __future__ import annotations

from zr.errors import ConfigError, ConfigProblem

from .context import EvalContext
from .errors import ExprError
from .expression import compile
from .functions import FunctionRegistry

FIELD = "condition"

_registries: dict = {}  # id(plugin host) -> (host, FunctionRegistry)


def collect_functions(plugins) -> FunctionRegistry:
    """Every function registered by the installed plugins (``plugins`` is
    zr's plugin host, ``config.plugins``)."""
    registry = FunctionRegistry()
    plugins.call_each("zr_expr_functions", registry, register=registry.register)
    return registry


def functions_for(config) -> FunctionRegistry:
    """:func:`collect_functions` for ``config.plugins``, collected once per process."""
    key = id(config.plugins)
    cached = _registries.get(key)
    if cached is None or cached[0] is not config.plugins:
        cached = (config.plugins, collect_functions(config.plugins))
        _registries[key] = cached
    return cached[1]


def context_for_task(task, run, **overrides) -> EvalContext:
    """The :class:`EvalContext` a condition of ``task`` is evaluated in."""
    config = run.config
    settings = dict(
        tasks=run.results,
        known_tasks=set(config.tasks) | set(run.tasks),
        env=run.env_for(task),
        cwd=task.cwd,
        functions=functions_for(config),
    )
    settings.update(overrides)
    return EvalContext(**settings)


def skip_reason(task, run) -> str | None:
    """``condition is false: <expr>`` when ``task``'s condition is false, else None.

    A condition that cannot be evaluated (a syntax error, a file that
    ``file.hash`` cannot read) is a :class:`ConfigError` naming the file,
    line and ``tasks.<name>.condition``.
    """
    source = task.field(FIELD)
    if source is None:
        return None
    try:
        if compile(source).is_true(context_for_task(task, run)):
            return None
    except ExprError as error:
        raise _located(error, task, run.config) from None
    return f"condition is false: {' '.join(source.split())}"


def evaluate_guard(expression: str, task, run) -> bool:
    """The truth of a ``require`` guard of ``task`` (the ``zr_evaluate`` hook)."""
    try:
        return compile(expression).is_true(context_for_task(task, run))
    except ExprError as error:
        raise ConfigError(f"require: {error.describe()}", file=task.source,
                          key=f"tasks.{task.name}.require") from None


GUARDS = "require"


def expressions_of(task, with_guards: bool):
    """``(field, source)`` of every expression ``task`` holds: its
    ``condition`` and (``with_guards``) each ``require`` guard."""
    source = task.field(FIELD)
    if source is not None:
        yield FIELD, source
    for guard in (task.field(GUARDS) or ()) if with_guards else ():
        yield GUARDS, guard["if"]


def guards_are_ours(config) -> bool:
    """``require`` guards go to every ``zr_evaluate`` implementation in
    turn; they are this plugin's to check only when no other plugin
    evaluates expressions (one may speak its own syntax)."""
    try:
        others = [record for record in config.plugins.implementers("zr_evaluate")
                  if record.get("name") != "expr"]
    except AttributeError:  # a plugin host without an index
        return False
    return not others


def validate_conditions(config) -> list:
    """A :class:`ConfigProblem` for every condition or ``require`` guard
    that cannot work.

    Syntax errors, unknown names and functions (with suggestions), calls
    with the wrong number of arguments, and ``tasks['x']`` naming no task
    are found here, without evaluating.
    """
    problems = []
    functions = None
    with_guards = guards_are_ours(config)
    for name, task in config.tasks.items():
        for field, source in expressions_of(task, with_guards):
            try:
                expression = compile(source)
            except ExprError as error:
                problems.append(_problem(error, name, task, config, field))
                continue
            if functions is None:
                functions = functions_for(config)
            for error in expression.check(functions, known_tasks=config.tasks):
                problems.append(_problem(error, name, task, config, field))
    return problems


def _key(name: str, field: str = FIELD) -> str:
    return f"tasks.{name}.{field}"


def _line(task, config, name: str, field: str = FIELD):
    from zr.api import find_line

    path = task.source or config.path
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    return find_line(text, ["tasks", name, field])


def _problem(error: ExprError, name: str, task, config, field: str = FIELD) -> ConfigProblem:
    return ConfigProblem(error.describe(), key=_key(task.name, field),
                         line=_line(task, config, name, field))


def _located(error: ExprError, task, config) -> ConfigError:
    return ConfigError(error.describe(), file=task.source or config.display_path,
                       line=_line(task, config, task.name), key=_key(task.name))
