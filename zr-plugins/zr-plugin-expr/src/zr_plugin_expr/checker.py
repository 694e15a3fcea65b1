"""Static checks: mistakes found without evaluating anything.

``zr validate`` runs these so that a misspelt function (``file.exist``), an
unknown task in ``tasks['biuld']`` or a wrong field (``.sucess``) is
reported before a run, even on a branch of ``&&`` that would not be
evaluated today. Names are checked against the functions registered by the
installed plugins and, when given, the task and stage names that exist.
"""

from __future__ import annotations

from zr.errors import did_you_mean

from . import nodes
from .context import ROOT_NAMES
from .errors import ExprNameError
from .tables import LookupProblem, StateRecord, StateTable

_STATE_ROOTS = ("tasks", "stages")


def check(tree, source: str, functions, known_tasks=None, known_stages=None) -> list:
    """Every :class:`ExprNameError` in ``tree``, in source order."""
    known = {"tasks": known_tasks, "stages": known_stages}
    problems = []
    for node in nodes.walk(tree):
        try:
            _check_node(node, functions, known)
        except LookupProblem as problem:
            problems.append(ExprNameError(problem.message, source, node.offset,
                                          hint=problem.hint.strip()))
    return sorted(problems, key=lambda problem: problem.offset)


def _check_node(node, functions, known) -> None:
    if isinstance(node, nodes.Call):
        if node.path not in functions:
            if node.path.split(".")[0] in ROOT_NAMES:
                raise LookupProblem(f"'{node.path}' is not a function")
            raise LookupProblem(f"unknown function '{node.path}'",
                                did_you_mean(node.path, functions.names()))
    elif isinstance(node, nodes.Name):
        if node.path in functions:
            return
        head, *rest = node.path.split(".")
        if head not in ROOT_NAMES:
            raise LookupProblem(f"unknown name '{node.path}'",
                                did_you_mean(node.path, list(ROOT_NAMES) + functions.names())
                                or did_you_mean(head, ROOT_NAMES))
        if head in ("platform", "arch") and rest:
            raise LookupProblem(f"'{head}' is a string and has no field '{rest[0]}'")
        if head in _STATE_ROOTS and rest:
            _check_state(head, rest[0], rest[1] if len(rest) > 1 else None, known)
    elif isinstance(node, nodes.Attribute):
        target = node.target
        if (isinstance(target, nodes.Index) and _is_state_root(target.target)
                and isinstance(target.key, nodes.Literal)):
            _check_state(target.target.path, str(target.key.value), node.name, known)
    elif isinstance(node, nodes.Index):
        if _is_state_root(node.target) and isinstance(node.key, nodes.Literal):
            _check_state(node.target.path, str(node.key.value), None, known)


def _is_state_root(node) -> bool:
    return isinstance(node, nodes.Name) and node.path in _STATE_ROOTS


def _check_state(root: str, name: str, field, known) -> None:
    """Look ``name`` (and ``field``) up as the evaluator would, on empty results."""
    record = StateTable(root, {}, known[root]).lookup(name)
    if field is not None:
        StateRecord.lookup(record, field)
