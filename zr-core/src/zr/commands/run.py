"""``zr run TASK... [-- ARGS]``."""

import click

from ..cli import Invocation, execute
from ..clickapp import TaskCommand, merged_options


def complete_task_names(ctx, param, incomplete):
    """Shell completion of task names from the nearest zr.toml."""
    try:
        from ..options import defaults
        from ..project import load_project

        plugins = ctx.find_root().obj["plugins"]
        config = load_project(defaults(plugins.option_specs()), plugins)
    except Exception:  # completion must never print a traceback
        return []
    names = sorted([n for n, t in config.tasks.items() if not t.private] + list(config.aliases))
    return [click.shell_completion.CompletionItem(
        n, help=config.tasks[n].description if n in config.tasks else None)
        for n in names if n.startswith(incomplete)]


@click.command("run", cls=TaskCommand, help=(
    "Run TASKS, each with its dependencies.\n\n"
    "Tasks named together run in the order given (dependencies in parallel inside); "
    "--parallel runs them as one graph. Words after `--` are passed to the named tasks "
    "(appended to the last command, or where ${args} appears)."))
@click.argument("tasks", nargs=-1, shell_complete=complete_task_names)
@click.pass_context
def command(ctx, tasks, **given):
    options = merged_options(ctx, given)
    return execute(Invocation("run", options, list(tasks), options["args"]),
                   ctx.find_root().obj["plugins"])
