"""Errors a user sees: one paragraph, no traceback, a fixed exit code.

Anything zr reports to the user as a problem with their input is a
:class:`ZrError`; the CLI prints ``str(error)`` to stderr and exits with
``error.exit_code``. Everything else is a bug and keeps its traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_TASK_FAILED = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 127
EXIT_INTERRUPTED = 130


class ZrError(Exception):
    """A problem with the user's input or environment (exit 2 by default)."""

    exit_code = EXIT_USAGE


class UsageError(ZrError):
    """Wrong command-line usage: unknown task, bad option value."""


class ConfigError(ZrError):
    """A problem in a configuration file, located as precisely as we can.

    Rendered as ``zr.toml:12: tasks.build.retry: expected an integer, got
    "three"``; ``line`` and ``key`` are optional.
    """

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 key: str | None = None):
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        super().__init__(self.render())

    def render(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class ConfigProblem:
    """One finding of ``zr validate``: an error (fatal) or a warning."""

    __slots__ = ("message", "key", "line", "severity")

    def __init__(self, message: str, *, key: str | None = None, line: int | None = None,
                 severity: str = "error"):
        self.message = message
        self.key = key
        self.line = line
        self.severity = severity

    def __repr__(self) -> str:
        return f"ConfigProblem({self.severity}: {self.key}: {self.message})"


class PluginError(ZrError):
    """A plugin could not be loaded, or two plugins claim the same name."""


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'build'?)`` for the closest choice, or ``""``."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
