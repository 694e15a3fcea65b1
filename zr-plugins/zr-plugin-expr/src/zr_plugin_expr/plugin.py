"""The ``expr`` plugin: task conditions for zr.

Kept thin: each hook returns early when no task has a ``condition`` and
otherwise calls into :mod:`.integration`, so that a project without
conditions never imports the language.
"""

from __future__ import annotations

from zr import hookimpl

CONDITION_HELP = (
    "An expression; the task is skipped (its dependents still run) when it is false."
    " Example: platform == 'linux' && env.CI != ''. See docs/expressions.md.")


@hookimpl
def zr_addhooks(pluginmanager):
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def zr_config_sections(registry):
    from zr.api import STRING

    registry.task_field("condition", STRING, default=None, help=CONDITION_HELP)


@hookimpl
def zr_expr_functions(register):
    from .builtins import register_builtins

    register_builtins(register)


@hookimpl
def zr_cli_commands(cli):
    from .command import command

    cli.add_command(command)


@hookimpl
def zr_validate(config):
    if not any(task.field("condition") is not None or task.field("require")
               for task in config.tasks.values()):
        return None
    from .integration import validate_conditions

    return validate_conditions(config)


@hookimpl
def zr_task_skip(task, run):
    if task.field("condition") is None:
        return None
    from .integration import skip_reason

    return skip_reason(task, run)


@hookimpl
def zr_evaluate(expression, task, run):
    from .integration import evaluate_guard

    return evaluate_guard(expression, task, run)
