"""``zr graph [TASK...]``."""

import click

from ..clickapp import TaskCommand, merged_options


@click.command("graph", cls=TaskCommand, help="Show what TASKS depend on, as a tree (all "
               "top-level tasks when none is given); --format json for tools.")
@click.argument("tasks", nargs=-1)
@click.pass_context
def command(ctx, tasks, **given):
    from ..listing import show_graph
    from ..project import load_project

    options = merged_options(ctx, given)
    config = load_project(options, ctx.find_root().obj["plugins"])
    return show_graph(config, list(tasks), as_json=options.get("format") == "json")
