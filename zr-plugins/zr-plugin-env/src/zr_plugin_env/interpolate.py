"""``${VAR}`` in ``[env]`` and task ``env`` values, filled in per task.

A value may refer to other variables as ``${NAME}`` or ``${NAME:-default}``
(the default when NAME is unset or empty); ``$$`` is a literal ``$``. A
reference resolves against what the task would see at that point: earlier
entries of the same table, then ``[env]`` (for a task's ``env``), then the
process environment, then the ``.env`` files. An unset name without a
default becomes empty text, as in a shell. ``$NAME`` without braces is left
as it is (the task's shell expands it), and so is a dotted ``${a.b}``,
which belongs to other plugins (``${matrix.KEY}``, ``${params.NAME}``).
"""

from __future__ import annotations

import re

_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def expand(text: str, scope: dict) -> str:
    """``text`` with its references replaced from ``scope``."""
    def replace(match) -> str:
        if match.group(0) == "$$":
            return "$"
        value = scope.get(match.group(1))
        default = match.group(2)
        if default is not None and not value:
            return default
        return value or ""

    return _REFERENCE.sub(replace, text)


def interpolate(env: dict, layers, outside: dict) -> None:
    """Expand, in ``env``, the values that come from ``layers`` (``[env]``,
    then the task's ``env``: raw dicts in file order) and were not
    overridden since (``--env`` wins as given, and later references see
    it). ``outside`` is the process environment over the ``.env`` values."""
    if not any("$" in value for layer in layers for value in layer.values()):
        return
    scope = dict(outside)
    for layer in layers:
        for key, raw in layer.items():
            if env.get(key) == raw:
                env[key] = expand(raw, scope) if "$" in raw else raw
            scope[key] = env.get(key, raw)  # an override (--env) is what the task sees
