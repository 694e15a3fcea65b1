"""The kernel's public API: everything a plugin may import from zr.

Plugins import from here (or ``zr``, ``zr.model``, ``zr.errors``,
``zr.config``, ``zr.testing``); every other kernel module is private and
may change without notice. A test in ``zr-core/tests/test_public_api.py``
lists the kernel modules each plugin in the repository imports and fails
on any other.

Names are resolved lazily (PEP 562): ``from zr.api import hookimpl`` costs
one dict lookup, and only the names a plugin uses import their modules, so
plugins stay off zr's start-up path.

Groups of names:

- hooks: ``hookimpl``, ``hookspec`` (for a plugin's own spec module),
  ``hookspecs`` (the kernel's spec module);
- model: ``Task``, ``TaskResult``, ``ProcessPlan``, ``Run``, ``RunSummary``,
  ``Retry``, ``NO_RETRY`` and the status constants ``SUCCESS``, ``FAILED``,
  ``SKIPPED``, ``CACHED``, ``TIMED_OUT``, ``INTERRUPTED``, ``BLOCKED``,
  ``OK_STATUSES``;
- executors: ``Executor`` (protocol), ``AttemptHandle``, ``ThreadExecutor``,
  ``RunControl``;
- errors: ``ZrError``, ``UsageError``, ``ConfigError``, ``ConfigProblem``,
  ``PluginError``, ``HookError``, ``did_you_mean``;
- configuration: ``Config``, ``ConfigRegistry``, ``Kind``, ``kinds`` (the
  module of value kinds) and its kinds ``STRING``, ``BOOL``,
  ``STRING_LIST``, ``STRING_ARRAY``, ``DURATION``, ``ENV_MAP``, ``SHELL``,
  ``RETRY``, ``POSITIVE_INT``, ``COMMANDS``, ``PARAMS``, ``GUARDS`` and
  builders ``one_of``, ``table``, ``array_of``, ``FieldError``, ``show``;
  ``find_config``, ``find_line``, ``load_project``, ``locate``,
  ``CORE_TASK_FIELDS``, ``build_task``, ``build_tasks``, ``Validator``,
  ``TableOf``, ``KNOWN_TASK_FIELDS``, ``parse_toml``, ``read_text``,
  ``load_document``, ``display_path``;
- running: ``make_plan``, ``Plan``, ``RunSession``, ``run_tasks``,
  ``check_cwds``, ``print_dry_run``, ``report``, ``resolve_task_name``,
  ``find_cycle``, ``make_printer``, ``Invocation``, ``execute``,
  ``graph_roots``, ``task_shell``, ``task_argvs``, ``display_command``,
  ``command_key_form``, ``log_records``, ``replay``;
- processes: ``signal_group``, ``orphan_pids``, ``become_subreaper``;
- command line: ``merged_options``, ``TaskCommand``, ``plugin_row``,
  ``plugins_command``;
- places and units: ``cache_dir``, ``data_dir``, ``state_dir``, ``atomic_write``,
  ``format_duration``, ``parse_duration``, ``parse_size``;
- globs: ``glob_regex`` (one zr.toml glob as a regular expression over
  ``/``-separated paths), ``normalize`` (a pattern's canonical form).
"""

from __future__ import annotations

from .markers import hookimpl

_NAMES = {
    # hooks
    "hookspec": ("zr.hookspecs", "hookspec"),
    "hookspecs": ("zr.hookspecs", None),
    # model
    **{name: ("zr.model", name) for name in (
        "Task", "TaskResult", "ProcessPlan", "Run", "RunSummary", "Retry", "NO_RETRY",
        "SUCCESS", "FAILED", "SKIPPED", "CACHED", "TIMED_OUT", "INTERRUPTED", "BLOCKED",
        "OK_STATUSES")},
    # executors
    **{name: ("zr.executors", name) for name in (
        "Executor", "AttemptHandle", "ThreadExecutor", "RunControl")},
    # errors
    **{name: ("zr.errors", name) for name in (
        "ZrError", "UsageError", "ConfigError", "ConfigProblem", "PluginError", "did_you_mean",
        "EXIT_OK", "EXIT_TASK_FAILED", "EXIT_USAGE", "EXIT_NOT_FOUND", "EXIT_INTERRUPTED")},
    "HookError": ("zr.plugins", "HookError"),
    # configuration
    "Config": ("zr.config", "Config"),
    "find_config": ("zr.config", "find_config"),
    "CORE_TASK_FIELDS": ("zr.config", "CORE_TASK_FIELDS"),
    "build_task": ("zr.config", "build_task"),
    "ConfigRegistry": ("zr.config.registry", "ConfigRegistry"),
    "Kind": ("zr.config.registry", "Kind"),
    "kinds": ("zr.config.kinds", None),
    **{name: ("zr.config.kinds", name) for name in (
        "STRING", "BOOL", "STRING_LIST", "STRING_ARRAY", "DURATION", "ENV_MAP", "SHELL",
        "RETRY", "POSITIVE_INT", "COMMANDS", "PARAMS", "GUARDS", "FieldError", "show",
        "one_of", "table", "array_of")},
    "find_line": ("zr.config.locate", "find_line"),
    "Validator": ("zr.config.validate", "Validator"),
    "TableOf": ("zr.config.validate", "TableOf"),
    "KNOWN_TASK_FIELDS": ("zr.config.validate", "KNOWN_TASK_FIELDS"),
    "missing_plugin_hint": ("zr.missing", "hint"),
    "parse_toml": ("zr.config.load", "parse_toml"),
    "read_text": ("zr.config.load", "read_text"),
    "display_path": ("zr.config.load", "display_path"),
    "load_document": ("zr.config.load", "load_document"),
    "build_tasks": ("zr.config", "build_tasks"),
    "load_project": ("zr.project", "load_project"),
    "locate": ("zr.project", "locate"),
    # running
    **{name: ("zr.runner", name) for name in (
        "make_plan", "Plan", "RunSession", "check_cwds", "print_dry_run", "report",
        "run_tasks")},
    "Invocation": ("zr.cli", "Invocation"),
    "execute": ("zr.cli", "execute"),
    "graph_roots": ("zr.listing", "graph_roots"),
    "resolve_task_name": ("zr.graph", "resolve_task_name"),
    "find_cycle": ("zr.graph", "find_cycle"),
    "make_printer": ("zr.cli", "make_printer"),
    **{name: ("zr.commands_text", name) for name in (
        "task_shell", "task_argvs", "display_command", "command_key_form")},
    "log_records": ("zr.logfile", "log_records"),
    "replay": ("zr.logfile", "replay"),
    # processes
    **{name: ("zr.process", name) for name in (
        "signal_group", "orphan_pids", "become_subreaper")},
    # command line
    "merged_options": ("zr.clickapp", "merged_options"),
    "TaskCommand": ("zr.clickapp", "TaskCommand"),
    "plugin_row": ("zr.commands.plugins", "plugin_row"),
    "plugins_command": ("zr.commands.plugins", "command"),
    # places and units
    **{name: ("zr.paths", name) for name in (
        "cache_dir", "data_dir", "state_dir", "atomic_write")},
    **{name: ("zr.units", name) for name in (
        "format_duration", "parse_duration", "parse_size")},
    # globs
    **{name: ("zr.globs", name) for name in ("glob_regex", "normalize")},
}

__all__ = ["hookimpl", *_NAMES]


def __getattr__(name: str):
    try:
        module_name, attr = _NAMES[name]
    except KeyError:
        raise AttributeError(f"zr.api has no name {name!r} (the public API is listed in "
                             "its docstring)") from None
    import importlib

    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(__all__)
