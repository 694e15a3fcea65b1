"""``zr expr``: try a condition on the command line before putting it in zr.toml.

Exits 0 when the expression is true and 1 when it is false (as ``test``
does), 2 on an error, so it also serves shell scripts.
"""

from __future__ import annotations

import click


@click.command("expr", help="Evaluate a condition expression in this project (exit 0 if "
               "true, 1 if false) or, with --functions, list the functions it can call.")
@click.argument("expression", required=False)
@click.option("--task", "task_name", metavar="TASK",
              help="Evaluate as TASK's condition would be: in its cwd, with its env.")
@click.option("--functions", "list_functions", is_flag=True,
              help="List the functions installed plugins provide.")
@click.option("-c", "--config", "config", default=None, metavar="PATH",
              help="Use this zr.toml.")
@click.pass_context
def command(ctx, expression, task_name, list_functions, **given):
    from zr.errors import UsageError

    from .integration import collect_functions

    plugins = ctx.find_root().obj["plugins"]
    if list_functions:
        for function in collect_functions(plugins):
            described = (function.help if function.help.startswith(function.name)
                         else f"{function.name}: {function.help}".rstrip(": "))
            click.echo(f"{described}  [{function.owner}]")
        return 0
    if expression is None:
        raise UsageError("zr expr: give an EXPRESSION to evaluate, or --functions")
    value = _evaluate(ctx, plugins, expression, task_name, given)
    click.echo(_show(value))
    from .values import truthy

    return 0 if truthy(value) else 1


def _evaluate(ctx, plugins, source: str, task_name, given: dict):
    """``source``'s value in the project's context (or ``task_name``'s)."""
    from zr.api import merged_options
    from zr.errors import UsageError, did_you_mean
    from zr.model import Run, Task
    from zr.api import load_project

    from .expression import compile
    from .integration import context_for_task

    config = load_project(merged_options(ctx, given), plugins)
    if task_name is None:
        task = Task("(expr)", cwd=config.root)
    elif task_name in config.tasks:
        task = config.tasks[task_name]
    else:
        raise UsageError(f"unknown task '{task_name}'{did_you_mean(task_name, config.tasks)}")
    run = Run(config, config.tasks, [], config.options)
    return compile(source).evaluate(context_for_task(task, run))


def _show(value) -> str:
    from .values import to_text

    return repr(value) if isinstance(value, str) else to_text(value)
