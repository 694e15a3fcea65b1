"""Loading ``zr.toml``: find it, parse it, validate it, build the task table.

A validated document is cached (marshal, keyed on the file's path, mtime,
size, zr's version and the installed plugins), so the common invocation
neither imports tomllib nor runs validation. See :mod:`.validate` for the
checks and :mod:`.registry` for how plugins claim parts of the file.
"""

from __future__ import annotations

import os

from ..errors import ConfigError
from ..model import NO_RETRY, Retry, Task
from .registry import ConfigRegistry  # noqa: F401  (public API)

CONFIG_NAME = "zr.toml"

# Task fields the kernel itself interprets; the rest go to ``Task.fields``.
CORE_TASK_FIELDS = frozenset({
    "cmd", "cwd", "description", "deps", "deps_serial", "env", "retry", "timeout",
    "allow_failure", "max_concurrent", "shell", "private", "aliases", "finally",
    "interactive",
})


def find_config(explicit: str | None = None, start: str | None = None) -> str:
    """The ``zr.toml`` to use: ``explicit``, or the nearest one upwards."""
    if explicit:
        path = os.path.abspath(explicit)
        if not os.path.isfile(path):
            raise ConfigError(f"config file not found: {explicit}")
        return path
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(directory, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            raise ConfigError(
                f"no {CONFIG_NAME} found in {os.path.abspath(start or os.getcwd())} or any "
                f"parent directory; create one with `zr init` or pass --config PATH")
        directory = parent


class Config:
    """One invocation's configuration, as plugins see it.

    ``doc`` is the validated, normalised document; ``tasks`` the task table
    after plugins expanded it; ``options`` the command-line values
    (including options plugins added); ``plugins`` the plugin host.
    """

    def __init__(self, path: str, doc: dict, options: dict, plugins):
        self.path = path
        self.root = os.path.dirname(path)
        self.doc = doc
        self.options = options
        self.plugins = plugins
        self.settings: dict = doc.get("settings", {})
        self.env: dict = doc.get("env", {})
        self.tasks: dict = {}
        self.aliases: dict = {}
        self._sections: dict = {}

    @property
    def display_path(self) -> str:
        """The config path as the user would write it (relative when shorter)."""
        from .load import display_path

        return display_path(self.path)

    def section(self, name: str, type_=None):
        """A top-level table, structured into ``type_`` (an attrs class) if given.

        Values were validated on load, so structuring cannot fail here;
        cattrs is imported only by plugins that ask for a typed section.
        """
        raw = self.doc.get(name)
        if type_ is None or raw is None:
            return raw
        key = (name, type_)
        if key not in self._sections:
            import cattrs

            self._sections[key] = cattrs.Converter().structure(raw, type_)
        return self._sections[key]

    def setting(self, name: str, default=None):
        return self.settings.get(name, default)


def build_task(name: str, spec: dict, root: str, source: str) -> Task:
    """A runtime :class:`Task` from its validated ``zr.toml`` table."""
    retry = spec.get("retry")
    return Task(
        name,
        cmds=spec.get("cmd", ()),
        cwd=os.path.normpath(os.path.join(root, spec.get("cwd", "."))),
        description=spec.get("description", ""),
        deps=spec.get("deps", ()),
        deps_serial=spec.get("deps_serial", ()),
        env=spec.get("env"),
        retry=Retry(**retry) if retry else NO_RETRY,
        timeout=spec.get("timeout"),
        allow_failure=spec.get("allow_failure", False),
        max_concurrent=spec.get("max_concurrent"),
        shell=spec.get("shell"),
        private=spec.get("private", name.startswith("_")),
        aliases=spec.get("aliases", ()),
        finally_cmds=spec.get("finally", ()),
        interactive=spec.get("interactive", False),
        fields={k: v for k, v in spec.items() if k not in CORE_TASK_FIELDS},
        source=source,
    )


def build_tasks(doc: dict, root: str, source: str) -> dict:
    """Runtime tasks of a document; included tasks keep their own file as source."""
    sources = doc.get("task_sources", {})
    return {name: build_task(name, spec, root, sources.get(name, source))
            for name, spec in doc.get("tasks", {}).items()}


def alias_table(tasks: dict) -> dict:
    """``alias -> task name``; an alias clashing with a task or another alias
    is a config error."""
    aliases: dict = {}
    for name, task in tasks.items():
        for alias in task.aliases:
            other = aliases.get(alias) or (alias if alias in tasks else None)
            if other:
                raise ConfigError(f"alias '{alias}' is already the name of "
                                  f"{'task' if other == alias else 'an alias of'} '{other}'",
                                  file=task.source, key=f"tasks.{name}.aliases")
            aliases[alias] = name
    return aliases
