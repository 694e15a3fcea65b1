"""The public face of the language: compile once, evaluate many times.

Other plugins use this through the package (``zr_plugin_expr.compile``,
``evaluate``, ``is_true``, ``EvalContext``); the workflows plugin evaluates
stage conditions with ``stages=...``, the task-authoring ``require`` guard
reuses the same engine.
"""

from __future__ import annotations

import functools

from . import checker, evaluator
from .parser import parse
from .values import truthy


class Expression:
    """A parsed expression: immutable, cheap to evaluate repeatedly."""

    __slots__ = ("source", "tree")

    def __init__(self, source: str, tree):
        self.source = source
        self.tree = tree

    def evaluate(self, ctx):
        """The value (str, number or bool); raises an :class:`ExprError` subclass."""
        return evaluator.evaluate(self.tree, ctx, self.source)

    def is_true(self, ctx) -> bool:
        """Whether the value counts as true (see :func:`zr_plugin_expr.values.truthy`)."""
        return truthy(self.evaluate(ctx))

    def check(self, functions=None, known_tasks=None, known_stages=None) -> list:
        """Unknown names, functions, tasks, stages and fields, without evaluating."""
        if functions is None:
            from .functions import builtin_functions

            functions = builtin_functions()
        return checker.check(self.tree, self.source, functions, known_tasks, known_stages)

    def __repr__(self) -> str:
        return f"Expression({self.source!r})"


@functools.lru_cache(maxsize=1024)
def compile(source: str) -> Expression:  # noqa: A001 - the name callers expect
    """Parse ``source``; raises :class:`ExprSyntaxError` pointing at the column."""
    return Expression(source, parse(source))


def evaluate(source: str, context):
    """Compile (cached) and evaluate ``source`` in ``context``."""
    return compile(source).evaluate(context)


def is_true(source: str, context) -> bool:
    """Compile (cached) and evaluate ``source`` as a condition."""
    return compile(source).is_true(context)
