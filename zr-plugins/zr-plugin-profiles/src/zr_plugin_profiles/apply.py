"""Applying the chosen profiles, in the order given (the later one wins).

``[profiles.X.env]`` and ``[profiles.X.settings]`` are merged over
``[env]`` and ``[settings]`` when the configuration is loaded
(``zr_configure``), so everything that reads ``config.env`` or
``config.setting()`` sees them. Task overrides are applied first thing in
``zr_expand_tasks`` (``tryfirst``), before matrix expansion, so a profile
can change a matrix task's fields, its ``matrix`` included, and every cell
gets the change. A task's ``env`` is merged key by key; every other field
is replaced.
"""

from __future__ import annotations

import os

from zr.config import CORE_TASK_FIELDS, build_task
from zr.errors import ConfigError, ConfigProblem, UsageError, did_you_mean

OPTION = "profile"
ENVVAR = "ZR_PROFILE"
# zr.toml field names whose Task attribute is named differently.
_ATTRIBUTES = {"cmd": "cmds", "finally": "finally_cmds"}


def selected_names(options: dict) -> list:
    """Profile names from ``--profile`` (repeatable, comma-separated) or
    ``ZR_PROFILE``, in order."""
    names = []
    for value in options.get(OPTION) or ():
        names.extend(part.strip() for part in value.split(",") if part.strip())
    return names


def chosen_profiles(config) -> list:
    """The chosen profiles' tables, in order; an unknown name is an error."""
    names = selected_names(config.options)
    profiles = config.doc.get("profiles") or {}
    for name in names:
        if name not in profiles:
            raise UsageError(unknown_profile_message(name, profiles, config))
    return [profiles[name] for name in names]


def unknown_profile_message(name: str, profiles: dict, config) -> str:
    if profiles:
        message = (f"unknown profile '{name}'{did_you_mean(name, profiles)}; the profiles in "
                   f"{config.display_path} are {', '.join(sorted(profiles))}")
    else:
        message = f"unknown profile '{name}': {config.display_path} defines no [profiles]"
    from_env = os.environ.get(ENVVAR, "")
    if name in [part.strip() for part in from_env.split(",")]:
        message += f" ({ENVVAR} is set to '{from_env}')"
    return message


def apply_settings(config) -> None:
    """Merge the chosen profiles' ``env`` and ``settings`` into ``config``."""
    for profile in chosen_profiles(config):
        config.env = {**config.env, **profile.get("env", {})}
        config.settings = {**config.settings, **profile.get("settings", {})}


def apply_task_overrides(config, tasks: dict) -> None:
    """Replace each task a chosen profile overrides by its overridden copy."""
    for profile in chosen_profiles(config):
        for name, override in profile.get("tasks", {}).items():
            if name not in tasks:
                raise ConfigError(f"a profile overrides unknown task '{name}'"
                                  f"{did_you_mean(name, tasks)}", file=config.display_path)
            tasks[name] = overridden(tasks[name], override, config)


def overridden(task, override: dict, config):
    """``task`` with the validated zr.toml fields of ``override`` applied.

    The kernel's own :func:`build_task` maps the fields to task attributes
    (``retry = 3`` to a retry policy, ``cwd`` to an absolute path...), so
    an override means exactly what the same line in ``[tasks.X]`` means.
    """
    built = build_task(task.name, override, config.root, task.source)
    changes: dict = {}
    fields = dict(task.fields)
    for key, value in override.items():
        if key == "env":
            changes["env"] = {**task.env, **built.env}
        elif key in CORE_TASK_FIELDS:
            attribute = _ATTRIBUTES.get(key, key)
            changes[attribute] = getattr(built, attribute)
        else:
            fields[key] = value
    return task.copy(fields=fields, **changes)


def unknown_task_problems(config) -> list:
    """A problem for every ``[profiles.X.tasks.Y]`` whose task does not exist."""
    problems = []
    for profile_name, profile in (config.doc.get("profiles") or {}).items():
        for name in profile.get("tasks", {}):
            if name not in config.tasks:
                problems.append(ConfigProblem(
                    f"unknown task '{name}'{did_you_mean(name, config.tasks)}",
                    key=f"profiles.{profile_name}.tasks.{name}"))
    return problems
