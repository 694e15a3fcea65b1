"""The ``matrix`` task field: checked and normalised once, when ``zr.toml`` is
validated (the result is cached with the rest of the document).

The normalised value keeps the user's order, which names the cells: axes in
declaration order, each a non-empty list of values as text (TOML numbers and
booleans become ``"3.12"``, ``"true"``, as env values do), then ``exclude``
and ``include`` as lists of ``{axis: text}`` tables. Every problem is a
:class:`FieldError` carrying where it is inside the table (``exclude.arch``);
the kernel prefixes ``tasks.NAME.matrix`` and finds the line.
"""

from __future__ import annotations

import re

from zr.api import FieldError, show
from zr.api import Kind
from zr.errors import did_you_mean

from .cells import MAX_CELLS, RESERVED, cells, product_size

_AXIS_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
# Characters that would make a cell's name ambiguous (``test[py=3.11,os=linux]``).
_NAME_SYNTAX = ",=[]"
_EXAMPLE = '{ py = ["3.11", "3.12"], os = ["linux", "mac"] }'


def check_matrix(raw) -> dict:
    """The normalised matrix, or ValueError with a message for the user."""
    if not isinstance(raw, dict):
        raise ValueError(f"expected a table of axes such as {_EXAMPLE}, got {show(raw)}")
    axes = {key: _axis(key, values) for key, values in raw.items() if key not in RESERVED}
    if not axes:
        raise ValueError(f"expected at least one axis, such as {_EXAMPLE}")
    matrix = dict(axes)
    for word in RESERVED:
        if word in raw:
            matrix[word] = _entries(word, raw[word], axes)
    size = product_size(matrix)
    if size > MAX_CELLS:
        raise ValueError(f"the matrix has {size} combinations; at most {MAX_CELLS} are "
                         f"allowed (split it into several tasks)")
    if not cells(matrix):
        raise ValueError("exclude removes every combination, so no cell would run")
    return matrix


def _axis(key: str, values) -> list:
    if not _AXIS_NAME.match(key):
        raise FieldError([key], f"axis name '{key}' is not allowed: use letters, digits, _ and -, "
                         "starting with a letter (it is written ${matrix." + key + "})")
    if not isinstance(values, list):
        raise FieldError([key], f"expected an array of values such as [\"a\", \"b\"], "
                                f"got {show(values)}")
    if not values:
        raise FieldError([key], "an axis needs at least one value, got []")
    texts = [_value([key, index], f"item {index + 1}", value)
             for index, value in enumerate(values)]
    for index, text in enumerate(texts):
        if text in texts[:index]:
            raise FieldError([key], f"the value \"{text}\" is listed twice")
    return texts


def _value(path: list, where: str, value) -> str:
    """A cell value as text; it becomes part of a task name."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str):
        raise FieldError(path, f"{where}: expected a string, number or boolean, "
                               f"got {show(value)}")
    if not value:
        raise FieldError(path, f"{where}: a value cannot be empty (it is part of the "
                               "cell's name)")
    bad = [c for c in _NAME_SYNTAX if c in value]
    if bad:
        raise FieldError(path, f"{where}: \"{value}\" cannot be part of a task name: "
                               f"{' '.join(_NAME_SYNTAX)} are reserved")
    return value


def _entries(word: str, raw, axes: dict) -> list:
    """``exclude``/``include``: an array of tables naming axes only."""
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise FieldError([word], f"expected an array of tables such as "
                                 f"[{{ py = \"3.11\", os = \"mac\" }}], got {show(raw)}")
    entries = []
    for index, entry in enumerate(raw):
        where = f"entry {index + 1}"
        if not entry:
            raise FieldError([word, index], f"{where}: an empty table would match every cell")
        for key in entry:
            if key not in axes:
                raise FieldError([word, index, key], f"{where}: unknown key '{key}'"
                                 f"{did_you_mean(key, axes)}; the axes are {', '.join(axes)}")
        if word == "include":
            missing = [key for key in axes if key not in entry]
            if missing:
                raise FieldError([word, index], f"{where}: missing {', '.join(missing)}; an "
                                 f"include entry gives a value for every axis "
                                 f"({', '.join(axes)})")
        entries.append({key: _value([word, index, key], f"{where}", value)
                        for key, value in entry.items()})
    return entries


_SCALAR = {"type": ["string", "number", "boolean"]}
_ENTRIES = {"type": "array", "items": {"type": "object", "additionalProperties": _SCALAR}}

MATRIX = Kind(
    "matrix", check_matrix,
    {"type": "object", "minProperties": 1,
     "properties": {"exclude": _ENTRIES, "include": _ENTRIES},
     "additionalProperties": {"type": "array", "minItems": 1, "items": _SCALAR}},
    'table of axes: { py = ["3.11", "3.12"], exclude = [{ ... }], include = [{ ... }] }')
