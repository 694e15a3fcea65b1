"""What an expression can see: names, tables, functions, where it runs.

An :class:`EvalContext` is built by whoever evaluates (the task-condition
hook, the workflows plugin for stage conditions) and is also what every
registered function receives as its first argument, so that ``file.*``,
``shell`` and third-party functions such as ``git.branch`` resolve paths
against ``ctx.cwd`` and see ``ctx.env``.
"""

from __future__ import annotations

import os
import sys

from .tables import EnvTable, StateTable

_PLATFORMS = {"linux": "linux", "darwin": "darwin", "win32": "windows", "cygwin": "windows"}
_ARCHES = {"amd64": "x86_64", "x64": "x86_64", "x86_64": "x86_64",
           "arm64": "aarch64", "aarch64": "aarch64"}


def normalize_platform(name: str) -> str:
    """``sys.platform`` spelled as in conditions: linux, darwin, windows."""
    for prefix, platform in _PLATFORMS.items():
        if name.startswith(prefix):
            return platform
    return name


def normalize_arch(machine: str) -> str:
    """A machine name spelled as in conditions: amd64 is x86_64, arm64 is aarch64."""
    return _ARCHES.get(machine.lower(), machine.lower())


def current_arch() -> str:
    import platform

    return normalize_arch(platform.machine())


class EvalContext:
    """Everything an expression evaluation needs; every argument is optional.

    - ``tasks``, ``stages``: results by name (``run.results``, or the
      workflow's stage outcomes); ``known_tasks``/``known_stages``: every
      name that exists, so a misspelt one is an error, not silently false.
    - ``env``: the variables ``env.NAME`` reads (default ``os.environ``).
    - ``cwd``: where ``file.*`` resolves relative paths and ``shell`` runs.
    - ``functions``: a :class:`~zr_plugin_expr.functions.FunctionRegistry`
      (default: this plugin's built-ins only; pass
      ``collect_functions(pluginmanager)`` to include other plugins').
    - ``platform``, ``arch``: override detection (tests, cross targets).
    - ``shell_timeout``: seconds a ``shell(...)`` check may take.
    """

    def __init__(self, *, tasks=None, stages=None, env=None, cwd=None, functions=None,
                 known_tasks=None, known_stages=None, platform=None, arch=None,
                 shell_timeout: float = 60.0):
        from .functions import builtin_functions

        self.tasks = tasks if tasks is not None else {}
        self.stages = stages if stages is not None else {}
        self.env = env if env is not None else os.environ
        self.cwd = os.fspath(cwd) if cwd is not None else os.getcwd()
        self.functions = functions if functions is not None else builtin_functions()
        self.known_tasks = known_tasks
        self.known_stages = known_stages
        self.platform = platform or normalize_platform(sys.platform)
        self._arch = arch
        self.shell_timeout = shell_timeout

    @property
    def arch(self) -> str:
        if self._arch is None:
            self._arch = current_arch()
        return self._arch

    def root(self, name: str):
        """The value or table a top-level name stands for, or None if unknown."""
        if name == "platform":
            return self.platform
        if name == "arch":
            return self.arch
        if name == "env":
            return EnvTable(self.env)
        if name == "tasks":
            return StateTable("tasks", self.tasks, self.known_tasks)
        if name == "stages":
            return StateTable("stages", self.stages, self.known_stages)
        return None

    def path(self, relative: str) -> str:
        """``relative`` resolved against :attr:`cwd`."""
        return os.path.join(self.cwd, os.path.expanduser(relative))


ROOT_NAMES = ("platform", "arch", "env", "tasks", "stages")
