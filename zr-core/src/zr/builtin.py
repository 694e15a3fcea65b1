"""The kernel's own part of ``zr.toml``, claimed through the same hook as
any plugin's: ``[tasks]`` with the core task fields, ``[env]`` and
``[settings]``."""

from __future__ import annotations

from .commands_text import DEFAULT_SHELL
from .config import kinds
from .config.includes import INCLUDES
from .config.validate import KNOWN_TASK_FIELDS, Fields, TableOf
from .markers import hookimpl


def _check_task_name(name: str) -> str | None:
    if not name or name != name.strip() or any(c in name for c in " \t\n[]=,"):
        return (f"task name {name!r} is not allowed: use letters, digits and "
                "- _ : . / (spaces, brackets, '=' and ',' are reserved)")
    return None


@hookimpl
def zr_config_sections(registry):
    registry.section("tasks", TableOf("task_fields", "task field", KNOWN_TASK_FIELDS,
                                      key_check=_check_task_name),
                     help="The tasks: [tasks.NAME] tables.")
    registry.section("env", kinds.ENV_MAP,
                     help="Environment variables for every task (above the process "
                          "environment, below a task's own env and --env).")
    registry.section("settings", Fields("settings", "setting", {}),
                     help="Project-wide settings.")
    registry.section("includes", INCLUDES, help="Tasks of other files under a namespace: "
                     "{ docs = \"docs/zr.toml\" } gives docs:NAME.")

    field = registry.task_field
    field("cmd", kinds.COMMANDS, help="Command (string, may be multi-line) or array of "
          "commands run in order; the first failure stops the task.")
    field("description", kinds.STRING, default="", help="One line shown by `zr list`.")
    field("cwd", kinds.STRING, default=".", help="Working directory, relative to the "
          "zr.toml's directory.")
    field("deps", kinds.STRING_ARRAY, default=[], help="Tasks that must succeed first; "
          "they run in parallel.")
    field("deps_serial", kinds.STRING_ARRAY, default=[], help="Tasks that must succeed "
          "first, run one after another in this order.")
    field("env", kinds.ENV_MAP, default={}, help="Environment variables of this task.")
    field("retry", kinds.RETRY, default=0, help="Re-run a failed task: a count, or "
          "{ count, delay, backoff, max_delay }.")
    field("timeout", kinds.DURATION, help="Kill the task (its whole process group) after "
          "this long: \"90s\", \"5m\".")
    field("allow_failure", kinds.BOOL, default=False, help="A failure is reported but does "
          "not fail the run or stop dependents.")
    field("max_concurrent", kinds.POSITIVE_INT, help="At most this many instances of the "
          "task (e.g. matrix cells) at once.")
    field("shell", kinds.SHELL, help="Shell for this task's commands (default: the "
          "settings' shell).")
    field("private", kinds.BOOL, default=False, help="Hidden from `zr list` and refused on "
          "the command line; usable as a dependency. Names starting with _ are private.")
    field("aliases", kinds.STRING_ARRAY, default=[], help="Other names for the task.")
    field("finally", kinds.COMMANDS, help="Cleanup command(s) run after the task whatever "
          "happened (success, failure, timeout, Ctrl-C).")
    field("interactive", kinds.BOOL, default=False, help="The task talks to the terminal: "
          "it gets zr's stdin, stdout and stderr directly (no prefix, not captured), runs "
          "with nothing beside it, and receives Ctrl-C itself.")
    field("params", kinds.PARAMS, help="Named parameters: `zr run TASK NAME=VALUE`, used as "
          "${params.NAME}.")
    field("require", kinds.GUARDS, help="Guards checked before the task starts; a false one "
          "fails the task with its message.")

    setting = registry.setting
    setting("shell", kinds.SHELL, default=list(DEFAULT_SHELL), help="Shell that runs "
            "commands: \"bash\" (gets -e -c) or a full argv such as "
            "[\"bash\", \"-euo\", \"pipefail\", \"-c\"].")
    setting("jobs", kinds.POSITIVE_INT, help="Default for --jobs (default: CPU count).")
    setting("default", kinds.STRING, help="Task run by a bare `zr`.")
    setting("kill_grace", kinds.DURATION, default=5.0, help="Time between SIGTERM and "
            "SIGKILL when a task times out or the run is interrupted.")
    setting("output", kinds.one_of("stream", "group", "errors-only"), default="stream",
            help="Default for --output.")
    setting("log_prefix", kinds.one_of("name", "none"), default="name",
            help="Default for --log-prefix: \"none\" lets tasks write to the terminal "
                 "directly (unprefixed, colours kept).")
