"""What ``zr watch`` watches for a set of targets, and how it re-runs them.

Watched: each task's own ``watch`` globs (relative to its cwd) for the
targets and everything they depend on, plus ``[watch] patterns``
(relative to zr.toml's directory); when neither says anything, every file
of the project. Ignored: see :mod:`.matcher`; the tasks' ``outputs`` (a
field of the cache plugin, relative to each task's cwd) are ignored so
that a task writing into a watched directory does not trigger itself.
"""

from __future__ import annotations

import os

from zr.api import resolve_task_name

from .matcher import ChangeFilter, Rules
from .schema import settings as watch_settings


class WatchPlan:
    """The resolved targets, the change filter and the loop's settings."""

    def __init__(self, config, targets: list):
        self.config = config
        self.settings = watch_settings(config.doc.get("watch"))
        self.targets = [resolve_task_name(t, config.tasks, config.aliases) for t in targets]
        names = (self.targets if config.options.get("no_deps")
                 else config.graph.closure(self.targets))
        tasks = [config.tasks[name] for name in names]
        watched = [Rules(t.cwd, t.field("watch")) for t in tasks if t.field("watch")]
        if self.settings["patterns"]:
            watched.append(Rules(config.root, self.settings["patterns"]))
        self.everything = not watched
        if self.everything:
            watched = [Rules(config.root, ["**"])]
        ignored = [Rules(t.cwd, t.field("outputs")) for t in tasks if t.field("outputs")]
        if self.settings["ignore"]:
            ignored.append(Rules(config.root, self.settings["ignore"]))
        self.filter = ChangeFilter(config.root, watched, ignored, _zr_dirs())
        self.debounce = self.settings["debounce"]
        self.restart = self.settings["on_change"] == "restart"
        self.grace = float(config.setting("kill_grace", 5.0)) + 2.0

    def describe(self) -> str:
        if self.everything:
            return "every file of the project"
        patterns = [p for rules in self.filter.watched for p in rules.patterns]
        shown = ", ".join(patterns[:4]) + (f" and {len(patterns) - 4} more"
                                          if len(patterns) > 4 else "")
        return shown


def _zr_dirs() -> list:
    """zr's own cache and state directories: history and caches are written
    there on every run, which must never count as a change."""
    from zr.api import cache_dir, data_dir, state_dir

    return [os.path.abspath(d) for d in (cache_dir(), state_dir(), data_dir())]


def child_argv(plan: WatchPlan, specs: list, options: dict) -> tuple:
    """``(argv, env)`` of the ``zr run`` child: the same targets and options.

    Options are passed as flags; variables that would set an option again
    (``ZR_PROFILE``...) are removed from the child's environment, so that a
    repeatable option is not applied twice.
    """
    argv = ["run", *plan.targets]
    env = dict(os.environ)
    for spec in specs:
        value = options.get(spec.name)
        flag = spec.flags[-1]
        if not spec.takes_value:
            if value:
                argv.append(flag)
        elif spec.multiple:
            for item in value or ():
                argv += [flag, str(item)]
        elif value is not None and value != spec.default:
            argv += [flag, str(value)]
        else:
            continue
        if spec.envvar:
            env.pop(spec.envvar, None)
    args = options.get("args") or []
    if args:
        argv += ["--", *args]
    return argv, env
