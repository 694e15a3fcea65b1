"""``zr graph [TASK...]``."""

import click

from ..clickapp import merged_options


@click.command("graph", help="Show what TASKS depend on, as a tree (all top-level tasks "
               "when none is given).")
@click.argument("tasks", nargs=-1)
@click.option("--format", "format", type=click.Choice(["text", "json"]), default=None,
              help="Output format.")
@click.option("-c", "--config", "config", default=None, metavar="PATH",
              help="Use this zr.toml.")
@click.pass_context
def command(ctx, tasks, **given):
    from ..listing import show_graph
    from ..project import load_project

    options = merged_options(ctx, given)
    config = load_project(options, ctx.find_root().obj["plugins"])
    return show_graph(config, list(tasks), as_json=options.get("format") == "json")
