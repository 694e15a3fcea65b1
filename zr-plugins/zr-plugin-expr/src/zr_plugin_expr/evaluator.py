"""Walks a syntax tree and computes its value in an :class:`EvalContext`.

``&&`` and ``||`` short-circuit: the right side of ``false && shell("x")``
is never evaluated, so its command never runs. Both give a boolean (not
one of their operands). Function errors and bad lookups become
:class:`ExprEvalError`/:class:`ExprNameError` pointing at the column.
"""

from __future__ import annotations

from zr.errors import ZrError, did_you_mean

from . import nodes
from .context import ROOT_NAMES
from .errors import ExprError, ExprEvalError, ExprNameError
from .checker import provided_elsewhere
from .tables import LookupProblem
from .values import compare, truthy, type_name

_SCALARS = (str, int, float, bool)


def evaluate(tree: nodes.Node, ctx, source: str = ""):
    """The value (str, number or bool) of ``tree``; ``source`` is for error columns."""
    return _Evaluator(ctx, source).scalar(tree)


class _Evaluator:
    def __init__(self, ctx, source: str):
        self.ctx = ctx
        self.source = source

    def scalar(self, node):
        """The value of ``node``, refusing tables (``tasks``) and records."""
        value = self.resolve(node)
        if not isinstance(value, _SCALARS):
            raise ExprEvalError(f"'{_text_of(node)}' is not a value by itself", self.source,
                                node.offset, hint=f"(use it as {value.usage})")
        return value

    def resolve(self, node):
        return _DISPATCH[type(node)](self, node)

    # --- node kinds ---------------------------------------------------

    def literal(self, node):
        return node.value

    def name(self, node):
        function = self.ctx.functions.get(node.path)
        if function is not None:
            return self.call_function(function, [], node)
        head, *rest = node.path.split(".")
        value = self.ctx.root(head)
        if value is None:
            raise self.unknown_name(head, node)
        for part in rest:
            value = self.lookup(value, part, node)
        return value

    def attribute(self, node):
        return self.lookup(self.resolve(node.target), node.name, node)

    def index(self, node):
        target = self.resolve(node.target)
        key = self.scalar(node.key)
        if isinstance(target, _SCALARS):
            raise ExprEvalError(f"cannot look up [...] in a {type_name(target)}", self.source,
                                node.offset)
        return self.lookup(target, key if isinstance(key, str) else str(key), node.key)

    def call(self, node):
        function = self.ctx.functions.get(node.path)
        if function is None:
            if node.path.split(".")[0] in ROOT_NAMES:
                raise ExprNameError(f"'{node.path}' is not a function", self.source,
                                    node.offset)
            raise ExprNameError(f"unknown function '{node.path}'", self.source, node.offset,
                                hint=did_you_mean(node.path, self.ctx.functions.names()).strip())
        args = [self.scalar(arg) for arg in node.args]
        return self.call_function(function, args, node)

    def negate(self, node):
        return not truthy(self.scalar(node.operand))

    def all_of(self, node):
        return all(truthy(self.scalar(operand)) for operand in node.operands)

    def any_of(self, node):
        return any(truthy(self.scalar(operand)) for operand in node.operands)

    def comparison(self, node):
        return compare(node.op, self.scalar(node.left), self.scalar(node.right))

    # --- helpers ------------------------------------------------------

    def lookup(self, target, key: str, node):
        if isinstance(target, _SCALARS):
            raise ExprEvalError(f"a {type_name(target)} has no field {key!r}", self.source,
                                node.offset)
        try:
            return target.lookup(key)
        except LookupProblem as problem:
            raise ExprNameError(problem.message, self.source, node.offset,
                                hint=problem.hint.strip()) from None

    def call_function(self, function, args: list, node):
        try:
            result = function.func(self.ctx, *args)
        except ExprError as error:
            raise ExprEvalError(f"{function.name}: {error.message}", self.source, node.offset,
                                hint=error.hint) from None
        except ZrError as error:
            raise ExprEvalError(f"{function.name}: {error}", self.source, node.offset) from None
        if not isinstance(result, _SCALARS):
            raise ExprEvalError(f"{function.name} returned {type(result).__name__}, not a"
                                " string, number or boolean", self.source, node.offset)
        return result

    def unknown_name(self, head: str, node) -> ExprNameError:
        choices = list(ROOT_NAMES) + self.ctx.functions.names()
        return ExprNameError(f"unknown name '{node.path}'", self.source, node.offset,
                             hint=provided_elsewhere(node.path, self.ctx.functions.names())
                             or did_you_mean(node.path, choices).strip()
                             or did_you_mean(head, ROOT_NAMES).strip())


def _text_of(node) -> str:
    """A short rendering of a name-like node for messages."""
    if isinstance(node, nodes.Name):
        return node.path
    if isinstance(node, nodes.Attribute):
        return f"{_text_of(node.target)}.{node.name}"
    if isinstance(node, nodes.Index):
        key = node.key.value if isinstance(node.key, nodes.Literal) else "..."
        return f"{_text_of(node.target)}[{key!r}]"
    return "expression"


_DISPATCH = {
    nodes.Literal: _Evaluator.literal,
    nodes.Name: _Evaluator.name,
    nodes.Attribute: _Evaluator.attribute,
    nodes.Index: _Evaluator.index,
    nodes.Call: _Evaluator.call,
    nodes.Not: _Evaluator.negate,
    nodes.And: _Evaluator.all_of,
    nodes.Or: _Evaluator.any_of,
    nodes.Compare: _Evaluator.comparison,
}
