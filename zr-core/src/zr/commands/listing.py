"""``zr list``."""

import click

from ..clickapp import merged_options


@click.command("list", help="List the public tasks with their descriptions (sorted by "
               "name; private tasks are hidden).")
@click.option("--unsorted", is_flag=True, default=None, help="Keep the order of zr.toml.")
@click.option("--format", "format", type=click.Choice(["text", "json"]), default=None,
              help="Output format.")
@click.option("-c", "--config", "config", default=None, metavar="PATH",
              help="Use this zr.toml.")
@click.pass_context
def command(ctx, **given):
    from ..listing import list_tasks
    from ..project import load_project

    options = merged_options(ctx, given)
    plugins = ctx.find_root().obj["plugins"]
    config = load_project(options, plugins)
    return list_tasks(config, as_json=options.get("format") == "json",
                      unsorted=bool(given.get("unsorted")))
