"""Task parameters: ``zr run deploy env=prod`` and ``${params.env}``.

A task declares ``params = { env = "staging", region = { default = "eu",
choices = ["eu", "us"] }, version = { description = "release to tag" } }``:
a string is a default, a table may give ``default``, ``choices`` and
``description``; a parameter without a default is required. Words of the
form ``NAME=VALUE`` after a task on the command line set its parameters.
A task runs once per (name, parameters) in one invocation: an instance with
non-default values is named ``deploy[env=prod]``.
"""

from __future__ import annotations

from .errors import UsageError, did_you_mean

_MARK = "${params."


def split_targets(words: list) -> list:
    """``["deploy", "env=prod", "test"]`` -> ``[("deploy", {"env": "prod"}), ("test", {})]``."""
    targets: list = []
    for word in words:
        name, eq, value = word.partition("=")
        if eq and name.isidentifier() and targets:
            targets[-1][1][name] = value
        elif eq and name.isidentifier():
            raise UsageError(f"'{word}' sets a parameter but names no task before it; "
                             "write `zr run TASK NAME=VALUE`")
        else:
            targets.append((word, {}))
    return targets


def describe(task) -> str:
    params = task.field("params") or {}
    parts = []
    for name, spec in params.items():
        text = name
        if spec.get("choices"):
            text += "=" + "|".join(spec["choices"])
        if spec.get("default") is not None:
            text += f" (default {spec['default']!r})"
        else:
            text += " (required)"
        parts.append(text)
    return ", ".join(parts) if parts else "none"


def resolve(task, given: dict, *, via: str | None = None) -> dict:
    """The values of ``task``'s parameters; UsageError listing them on a problem."""
    declared = task.field("params") or {}
    where = f" (it runs as a dependency of '{via}')" if via else ""
    for name in given:
        if name not in declared:
            raise UsageError(f"task '{task.name}' has no parameter '{name}'"
                             f"{did_you_mean(name, declared)}; its parameters: "
                             f"{describe(task)}")
    values = {}
    for name, spec in declared.items():
        value = given.get(name, spec.get("default"))
        if value is None:
            raise UsageError(f"task '{task.name}' needs parameter '{name}'{where}: "
                             f"`zr run {task.name} {name}=VALUE`; its parameters: "
                             f"{describe(task)}")
        choices = spec.get("choices")
        if choices and value not in choices:
            raise UsageError(f"task '{task.name}': parameter '{name}' must be one of "
                             f"{', '.join(choices)}, got '{value}'")
        values[name] = value
    return values


def _substitute(text: str, values: dict) -> str:
    for name, value in values.items():
        text = text.replace(f"{_MARK}{name}}}", value)
    return text


def instantiate(task, values: dict, name: str):
    """A copy of ``task`` with ``${params.X}`` replaced, under ``name``."""
    sub = lambda text: _substitute(text, values)  # noqa: E731
    return task.copy(
        name=name, cmds=[sub(c) for c in task.cmds],
        finally_cmds=[sub(c) for c in task.finally_cmds],
        env={k: sub(v) for k, v in task.env.items()}, description=sub(task.description))


def instance_name(task, given: dict, values: dict) -> str:
    """``deploy`` with defaults only, ``deploy[env=prod]`` otherwise."""
    declared = task.field("params") or {}
    changed = [(k, values[k]) for k in declared
               if k in given and given[k] != declared[k].get("default")]
    if not changed:
        return task.name
    return f"{task.name}[{','.join(f'{k}={v}' for k, v in changed)}]"
