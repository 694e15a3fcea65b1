"""Which ``.env`` files a task gets, read once per run.

The project's ``.env`` (next to zr.toml, unless ``[settings] dotenv =
false`` or ``--no-dotenv``) comes first, then the task's ``env_file``
entries in order; a later file wins over an earlier one. Paths are relative
to the zr.toml directory (docker compose uses the compose file's directory
likewise), so a task's ``cwd`` does not change which file it means. A
``${VAR}`` in a file resolves against the process environment, then the
file's own earlier lines, then the project's ``.env``. The
result only fills in what the process environment, ``[env]``, the task's
``env`` and ``--env`` leave unset (the hook uses ``setdefault``).

Everything is read when the run starts (``zr_run_start``), so a missing
required file or a malformed line stops zr before any task runs; each file
is read once however many tasks use it.
"""

from __future__ import annotations

import os

from zr.errors import ConfigError

STATE_KEY = "env"


class _RunFiles:
    """Per-run cache: file path -> values, task name -> merged values."""

    def __init__(self, config):
        self.config = config
        self.files: dict = {}
        self.tasks: dict = {}
        self.project = {}
        if config.setting("dotenv", True) and not config.options.get("no_dotenv"):
            self.project = self.read(os.path.join(config.root, ".env"), False, None)

    def read(self, path: str, required: bool, task) -> dict:
        """One file's values; ``${VAR}`` may refer to the project's ``.env``."""
        values = self.files.get(path)
        if values is None:
            if os.path.isfile(path):
                from .files import read_env_file

                values = read_env_file(path, self.project, os.environ)
            elif required:
                raise _missing(path, task, self.config)
            else:
                values = {}
            self.files[path] = values
        return values

    def values_for(self, task) -> dict:
        merged = self.tasks.get(task.name)
        if merged is None:
            merged = dict(self.project)
            for entry in task.field("env_file") or ():
                path = os.path.normpath(os.path.join(self.config.root, entry["path"]))
                merged.update(self.read(path, entry["required"], task))
            self.tasks[task.name] = merged
        return merged


def _state(run) -> _RunFiles:
    state = run.state.get(STATE_KEY)
    if state is None:
        state = run.state[STATE_KEY] = _RunFiles(run.config)
    return state


def prepare(run, names) -> None:
    """Read every file the tasks ``names`` will need (errors surface now)."""
    state = _state(run)
    for name in names:
        task = run.tasks.get(name)
        if task is not None:
            state.values_for(task)


def values_for(run, task) -> dict:
    """The ``.env`` variables of ``task`` (read on first use if not prepared)."""
    return _state(run).values_for(task)


def _missing(path: str, task, config) -> ConfigError:
    from zr.api import find_line

    from .files import shown

    line = None
    try:
        with open(config.path, encoding="utf-8") as handle:
            line = find_line(handle.read(), ["tasks", task.name, "env_file"])
    except OSError:
        pass
    return ConfigError(f"env file '{shown(path)}' not found (mark it "
                       "{ path = ..., required = false } if it is optional)",
                       file=task.source or config.display_path, line=line,
                       key=f"tasks.{task.name}.env_file")
