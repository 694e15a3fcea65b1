"""Which combinations a matrix has, and what each one is called.

The rules are GitHub Actions': the Cartesian product of the axes (first
axis varying slowest), minus every combination matching an ``exclude``
entry (an entry may name only some axes), plus every ``include`` entry that
is not already there (include comes after exclude, so it can bring back an
excluded combination or add values no axis lists).
"""

from __future__ import annotations

import itertools

RESERVED = ("exclude", "include")
#: The most cells one task's matrix may have (docs/matrix.md): beyond it a
#: matrix is a mistake, and building millions of tasks would hang ``zr list``.
MAX_CELLS = 10_000


def axes(matrix: dict) -> dict:
    """``{axis: [values]}`` in declaration order."""
    return {key: values for key, values in matrix.items() if key not in RESERVED}


def product_size(matrix: dict) -> int:
    """How many combinations the axes make before exclude and include
    (computed without building them)."""
    size = 1
    for values in axes(matrix).values():
        size *= len(values)
    return size + len(matrix.get("include", ()))


def cells(matrix: dict) -> list:
    """Every combination to run, as ``{axis: value}`` dicts in order."""
    table = axes(matrix)
    keys = list(table)
    excludes = matrix.get("exclude", ())
    result = [dict(zip(keys, combo)) for combo in itertools.product(*table.values())]
    result = [cell for cell in result if not any(_matches(cell, e) for e in excludes)]
    for entry in matrix.get("include", ()):
        cell = {key: entry[key] for key in keys}
        if cell not in result:
            result.append(cell)
    return result


def _matches(cell: dict, entry: dict) -> bool:
    return all(cell[key] == value for key, value in entry.items())


def cell_name(task_name: str, cell: dict) -> str:
    """``test[py=3.11,os=linux]``: the task name with the cell's values."""
    return f"{task_name}[{','.join(f'{key}={value}' for key, value in cell.items())}]"
