"""What values mean: truthiness and comparison, in one place.

Values are ``str``, ``int``, ``float`` and ``bool``. The rules, chosen so
that environment variables (always text) compare the way people expect:

- *Truthiness*: ``false``, ``0``, ``0.0`` and the strings ``""``, ``"0"``,
  ``"false"``, ``"no"``, ``"off"`` (any case) are false; everything else is
  true. So ``env.CI`` is true for ``CI=1`` or ``CI=true`` and false when
  ``CI`` is unset, empty, ``0`` or ``false``.
- *Comparison with a boolean* on either side compares truthiness:
  ``env.CI == true``; for ``<``..., ``false`` sorts before ``true``.
- *Numeric comparison* when both sides are numbers or strings that read as
  a decimal number (``42``, ``-1.5``, ``2e3``; no spaces): ``"10" > 9``.
- Otherwise *text comparison*, by code point: ``"b" > "a"``; a number is
  written as text first (``"abc" < 5`` compares ``"abc"`` with ``"5"``).
"""

from __future__ import annotations

import re

_FALSE_STRINGS = frozenset({"", "0", "false", "no", "off"})
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_INTEGER_TEXT = re.compile(r"[+-]?\d+")

_COMPARATORS = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def truthy(value) -> bool:
    """Whether ``value`` counts as true in a condition (rules above)."""
    if isinstance(value, str):
        return value.lower() not in _FALSE_STRINGS
    return bool(value)


def as_number(value):
    """``value`` as an int or float if it is a number or reads as one, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value):
        return int(value) if _INTEGER_TEXT.fullmatch(value) else float(value)
    return None


def to_text(value) -> str:
    """How a value reads as text: ``true``, ``42``, ``1.5``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def type_name(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def compare(op: str, left, right) -> bool:
    """``left op right`` under the boolean, numeric, then text rules."""
    comparator = _COMPARATORS[op]
    if isinstance(left, bool) or isinstance(right, bool):
        return comparator(truthy(left), truthy(right))
    left_number, right_number = as_number(left), as_number(right)
    if left_number is not None and right_number is not None:
        return comparator(left_number, right_number)
    return comparator(to_text(left), to_text(right))
