"""Argument checking shared by the built-in functions.

Functions get already-evaluated values; this turns a wrong count or type
into one clear sentence (``takes 2 arguments (target, source), got 1``)
instead of a Python ``TypeError``.
"""

from __future__ import annotations

from zr.errors import ZrError

from .values import to_text, type_name


def expect_text(args: tuple, *params: str, numbers_as_text: bool = False) -> tuple:
    """``args`` checked to be ``len(params)`` strings, named ``params`` in errors.

    With ``numbers_as_text``, numbers are accepted and written as text
    (``semver.gte(env.V, 18)``).
    """
    if len(args) != len(params):
        plural = "argument" if len(params) == 1 else "arguments"
        raise ZrError(f"takes {len(params)} {plural} ({', '.join(params)}), got {len(args)}")
    checked = []
    for param, value in zip(params, args):
        if isinstance(value, str):
            checked.append(value)
        elif numbers_as_text and type_name(value) == "number":
            checked.append(to_text(value))
        else:
            raise ZrError(f"argument '{param}' must be a string, got {type_name(value)}"
                          f" {to_text(value)}")
    return tuple(checked)
