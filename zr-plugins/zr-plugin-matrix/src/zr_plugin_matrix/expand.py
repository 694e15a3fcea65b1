"""Matrix tasks become their cells, before the graph is built.

For a task ``test`` with a matrix, the table gets one task per cell
(``test[py=3.11,os=linux]``) with ``${matrix.KEY}`` replaced in its
commands, ``finally``, env values, cwd, description, deps and plugin
fields, and ``test`` itself becomes a task without commands that depends on
every cell. So ``zr run test`` runs all cells, a dependent of ``test``
waits for all of them, one cell runs alone by its name, and ``zr list``,
``zr graph`` and ``--dry-run`` show the cells because they are ordinary
tasks by then. Cells share the task's ``max_concurrent`` limit (the
scheduler groups them by the name before ``[``).
"""

from __future__ import annotations

import os

from zr.errors import ConfigError, did_you_mean
from zr.model import NO_RETRY

from .cells import axes, cell_name, cells

FIELD = "matrix"
_PLACEHOLDER = "${matrix."
# Task attributes that may hold ${matrix.KEY}, with their zr.toml names.
_INTERPOLATED = {"cmds": "cmd", "finally_cmds": "finally", "env": "env", "cwd": "cwd",
                 "description": "description", "deps": "deps",
                 "deps_serial": "deps_serial", "shell": "shell"}


def expand_matrices(config, tasks: dict) -> None:
    """Replace every matrix task in ``tasks`` (in place, keeping the order)
    by its group task followed by its cells."""
    expanded: dict = {}
    for name, task in tasks.items():
        matrix = task.field(FIELD)
        if matrix is None:
            expanded[name] = task
            continue
        cell_tasks = [cell_task(config, task, cell) for cell in cells(matrix)]
        expanded[name] = group_task(task, matrix, [c.name for c in cell_tasks], config.root)
        for cell in cell_tasks:
            if cell.name in tasks or cell.name in expanded:
                raise _error(config, task, FIELD, f"the cell '{cell.name}' is already a task")
            expanded[cell.name] = cell
    tasks.clear()
    tasks.update(expanded)


def cell_task(config, task, cell: dict):
    """One cell of ``task``: a copy with the cell's values filled in."""
    changes = {attr: _fill(config, task, cell, getattr(task, attr), key)
               for attr, key in _INTERPOLATED.items()}
    changes["cwd"] = os.path.normpath(changes["cwd"])
    changes["fields"] = {key: _fill(config, task, cell, value, key)
                         for key, value in task.fields.items() if key != FIELD}
    return task.copy(name=cell_name(task.name, cell), aliases=[], **changes)


def group_task(task, matrix: dict, cell_names: list, root: str):
    """``test`` itself: no commands, depends on every cell.

    It keeps the task's name and aliases so that ``zr run test`` and
    dependents of ``test`` mean "all cells"; everything about running
    (env, retry, plugin fields such as a condition or cache) belongs to
    the cells. Its cwd is the project root: the task's own may hold
    ``${matrix.KEY}``, which only a cell can fill in (and the kernel checks
    that every planned task's cwd exists).
    """
    return task.copy(cmds=[], finally_cmds=[], deps=list(cell_names), deps_serial=[], cwd=root,
                     env={}, retry=NO_RETRY, timeout=None, max_concurrent=None,
                     allow_failure=False, fields={},
                     description=group_description(task.description, matrix,
                                                   len(cell_names)))


def group_description(description: str, matrix: dict, count: int) -> str:
    """``Run tests on <py> (matrix: 7 cells)`` for ``zr list``."""
    size = f"{count} cell{'s' if count != 1 else ''}"
    if not description:
        return f"matrix: {size} over {', '.join(axes(matrix))}"
    shown = substitute(description, lambda axis: f"<{axis}>")
    return f"{shown} (matrix: {size})"


def _fill(config, task, cell: dict, value, key: str):
    """``value`` with ``${matrix.KEY}`` replaced, through lists and tables."""
    if isinstance(value, str):
        def replace(axis):
            if axis not in cell:
                raise _error(config, task, key, f"unknown matrix key '{axis}' in "
                             f"${{matrix.{axis}}}{did_you_mean(axis, cell)}; the axes are "
                             f"{', '.join(cell)}")
            return cell[axis]

        return substitute(value, replace)
    if isinstance(value, list):
        return [_fill(config, task, cell, item, key) for item in value]
    if isinstance(value, dict):
        return {name: _fill(config, task, cell, item, key) for name, item in value.items()}
    return value


def substitute(text: str, replace) -> str:
    """``text`` with each ``${matrix.KEY}`` replaced by ``replace(KEY)``.

    A scan rather than a regular expression: ``re`` costs more to import
    than expanding a matrix, on the path of every ``zr run``.
    """
    if _PLACEHOLDER not in text:
        return text
    parts = []
    done = 0
    while True:
        start = text.find(_PLACEHOLDER, done)
        end = text.find("}", start + len(_PLACEHOLDER)) if start >= 0 else -1
        if end < 0:
            break
        parts.append(text[done:start])
        parts.append(replace(text[start + len(_PLACEHOLDER):end]))
        done = end + 1
    parts.append(text[done:])
    return "".join(parts)


def _error(config, task, key: str, message: str) -> ConfigError:
    from zr.api import locate

    return locate(config, ConfigError(message, file=task.source,
                                      key=f"tasks.{task.name}.{key}"))
