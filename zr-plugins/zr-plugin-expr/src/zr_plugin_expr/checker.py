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
from .tables import LookupProblem, StateTable

_STATE_ROOTS = ("tasks", "stages")


def check(tree, source: str, functions, known_tasks=None, known_stages=None) -> list:
    """Every :class:`ExprNameError` in ``tree``, in source order."""
    known = {"tasks": known_tasks, "stages": known_stages}
    problems = []
    for node in nodes.walk(tree):
        try:
            _check_node(node, functions, known)
        except _Located as located:
            problems.append(ExprNameError(located.problem.message, source, located.offset,
                                          hint=located.problem.hint.strip()))
    return sorted(problems, key=lambda problem: problem.offset)


class _Located(Exception):
    def __init__(self, problem: LookupProblem, offset: int):
        super().__init__(problem.message)
        self.problem = problem
        self.offset = offset


def _check_node(node, functions, known) -> None:
    try:
        if isinstance(node, nodes.Call):
            _check_call(node, functions)
        elif isinstance(node, nodes.Name):
            _check_name(node, functions, known)
    except LookupProblem as problem:
        raise _Located(problem, node.offset) from None
    if isinstance(node, nodes.Attribute) and _is_state_index(node.target):
        _check_field(node, known)
    elif _is_state_index(node):
        _check_state_name(node, known)


def _check_call(node, functions) -> None:
    if node.path not in functions:
        if node.path.split(".")[0] in ROOT_NAMES:
            raise LookupProblem(f"'{node.path}' is not a function")
        raise LookupProblem(f"unknown function '{node.path}'",
                            did_you_mean(node.path, functions.names()))
    problem = functions.get(node.path).arity_problem(len(node.args))
    if problem:
        raise LookupProblem(problem)


def _check_name(node, functions, known) -> None:
    if node.path in functions:
        return
    head, *rest = node.path.split(".")
    if head not in ROOT_NAMES:
        raise LookupProblem(f"unknown name '{node.path}'",
                            provided_elsewhere(node.path, functions.names())
                            or did_you_mean(node.path, list(ROOT_NAMES) + functions.names())
                            or did_you_mean(head, ROOT_NAMES))
    if head in ("platform", "arch") and rest:
        raise LookupProblem(f"a string has no field '{rest[0]}'")
    if head in _STATE_ROOTS and rest:
        record = StateTable(head, {}, known[head]).lookup(rest[0])
        if len(rest) > 1:
            record.lookup(rest[1])


def _is_state_index(node) -> bool:
    return (isinstance(node, nodes.Index) and isinstance(node.target, nodes.Name)
            and node.target.path in _STATE_ROOTS and isinstance(node.key, nodes.Literal))


def _state_record(index, known):
    """The record ``tasks['name']`` gives on no results (raises for an unknown name)."""
    root = index.target.path
    return StateTable(root, {}, known[root]).lookup(str(index.key.value))


def _check_state_name(index, known) -> None:
    try:
        _state_record(index, known)
    except LookupProblem as problem:
        raise _Located(problem, index.key.offset) from None


def _check_field(attribute, known) -> None:
    try:
        record = _state_record(attribute.target, known)
    except LookupProblem:
        return  # reported once, by the index itself
    try:
        record.lookup(attribute.name)
    except LookupProblem as problem:
        raise _Located(problem, attribute.offset) from None


def provided_elsewhere(path: str, registered: list) -> str:
    """``(zr-plugin-git provides it: install it with ...)`` for a name of a
    plugin that is not installed here (``git.dirty`` without zr-plugin-git);
    empty when a loaded plugin already provides that prefix."""
    from zr.api import missing_plugin_hint

    head = path.split(".", 1)[0] + "."
    if "." in path and any(name.startswith(head) for name in registered):
        return ""
    found = missing_plugin_hint("expr_names", path)
    return f"({found})" if found else ""
