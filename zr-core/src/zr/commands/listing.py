"""``zr list``."""

import click

from ..clickapp import TaskCommand, merged_options


@click.command("list", cls=TaskCommand, help="List the public tasks with their descriptions "
               "(sorted by name; private tasks are hidden), and workflows.")
@click.option("--unsorted", is_flag=True, default=None, help="Keep the order of zr.toml.")
@click.option("--all", "show_all", is_flag=True, default=None, help="Every task on its own "
              "line, even where a plugin shortens the listing (a workspace root's "
              "member:task).")
@click.pass_context
def command(ctx, unsorted, show_all, **given):
    from ..listing import list_tasks
    from ..project import load_project

    options = merged_options(ctx, given)
    config = load_project(options, ctx.find_root().obj["plugins"])
    return list_tasks(config, as_json=options.get("format") == "json", unsorted=bool(unsorted),
                      show_all=bool(show_all))
