"""Warnings ``zr validate`` gives about the cache fields (``--strict``
makes them errors): mistakes that do not stop a run but make the cache
do less than the user thinks.

- an ``inputs`` glob that matches no file (a typo: the key then misses
  what the task reads);
- ``outputs`` on a task without ``cache = true`` (nothing is stored);
- an ``env_inputs`` name set nowhere zr can see (process environment,
  ``[env]``, a task's ``env``, the project's ``.env``);
- ``[cache.remote] token_env`` naming a variable that is not set.

Globbing walks the tree, so these run only under ``zr validate``
(``config.options["validating"]``), never on a plain load.
"""

from __future__ import annotations

import os
import re

from zr.errors import ConfigProblem


def usage_warnings(config) -> list:
    """Every warning above for ``config``, as :class:`ConfigProblem`\\ s."""
    problems = []
    visible = _visible_names(config)
    for name, task in config.tasks.items():
        base = name.split("[", 1)[0]
        cached = task.field("cache") is True
        if task.field("outputs") and not cached:
            problems.append(_warning(
                "outputs are stored and restored only by the cache; without cache = true "
                "nothing is kept", f"tasks.{base}.outputs"))
        if cached and task.field("inputs"):
            problems.extend(_unmatched_inputs(config, task, base))
        for variable in task.field("env_inputs") or ():
            if variable not in visible and variable not in task.env:
                problems.append(_warning(
                    f"${variable} is not set here, in [env], in a task's env or in .env: "
                    f"the key sees it as unset", f"tasks.{base}.env_inputs"))
    remote = (config.doc.get("cache") or {}).get("remote") or {}
    token_env = remote.get("token_env")
    if token_env and not os.environ.get(token_env):
        problems.append(_warning(f"${token_env} is not set: remote requests would go "
                                 f"without a token", "cache.remote.token_env"))
    return problems


def _unmatched_inputs(config, task, base: str) -> list:
    from .globs import select

    if not os.path.isdir(task.cwd):
        return []
    patterns = [p for p in task.field("inputs") if "${" not in p]  # filled in per cell
    selection = select(patterns, task.cwd, project_root=config.root)
    return [_warning(f"inputs glob '{pattern}' matches no file (relative to "
                     f"{os.path.relpath(task.cwd, config.root)!r})", f"tasks.{base}.inputs")
            for pattern in selection.unmatched]


def _visible_names(config) -> set:
    names = set(os.environ) | set(config.env or {})
    for task in config.tasks.values():
        names.update(task.env)
    try:
        with open(os.path.join(config.root, ".env"), encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return names
    names.update(re.findall(r"(?m)^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", text))
    return names


def _warning(message: str, key: str) -> ConfigProblem:
    return ConfigProblem(message, key=key, severity="warning")
