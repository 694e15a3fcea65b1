"""Stage conditions, in zr-plugin-expr's language.

A stage's condition sees ``stages[...]`` (the outcomes of the stages before
it; a stage of the workflow that has not run reads as not run, a name that
is no stage is an error with a suggestion), ``tasks[...]`` (every task
result of the workflow so far), ``env`` (process env < ``[env]``) and the
registered functions, evaluated in the project's directory.
"""

from __future__ import annotations

import os

from zr.errors import ConfigError, ZrError

EXPR_MISSING = ("stage conditions need the expression plugin: "
                "pip install zr-plugin-expr")


class ConditionError(ZrError):
    """A stage condition that cannot be evaluated; the message says why and
    where in the expression, the caller adds where it is written."""


def _expr():
    try:
        import zr_plugin_expr
    except ImportError:
        raise ConfigError(EXPR_MISSING) from None
    return zr_plugin_expr


def condition_problems(config, source: str, stage_names) -> list:
    """Messages for everything wrong in ``source`` that shows without
    evaluating it: syntax, unknown names, functions, tasks and stages."""
    expr = _expr()
    try:
        expression = expr.compile(source)
    except expr.ExprError as error:
        return [error.describe()]
    return [error.describe() for error in expression.check(
        expr.functions_for(config), known_tasks=config.tasks, known_stages=stage_names)]


def condition_holds(config, run, source: str, outcomes: dict, stage_names) -> bool:
    """Whether ``source`` is true after the stages in ``outcomes``.

    Raises :class:`ConditionError` when it cannot be evaluated.
    """
    expr = _expr()
    context = expr.EvalContext(
        stages=outcomes, known_stages=set(stage_names),
        tasks=run.results, known_tasks=set(run.tasks),
        env={**os.environ, **config.env}, cwd=config.root,
        functions=expr.functions_for(config))
    try:
        return expr.compile(source).is_true(context)
    except expr.ExprError as error:
        raise ConditionError(error.describe()) from None
