"""``zr graph [TASK...]``: the kernel draws text and json; plugins draw
other formats (and may draw a project's own view) through the
``zr_graph_render`` hook."""

import os

import click

from ..clickapp import TaskCommand, merged_options

KERNEL_FORMATS = ("text", "json")


class GraphCommand(TaskCommand):
    """``--format`` of ``zr graph`` accepts the formats plugins draw too."""

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            if param.name == "format":
                param.type = click.STRING
                param.help = ("text, json, or a format an installed plugin draws (such as "
                              "dot, mermaid, html).")
                param.metavar = "FORMAT"
        return params


@click.command("graph", cls=GraphCommand, help="Show what TASKS depend on, as a tree (all "
               "top-level tasks when none is given); --format json for tools.")
@click.argument("tasks", nargs=-1)
@click.option("-o", "--out", "out", metavar="FILE", help="Write the graph to FILE instead of "
              "standard output.")
@click.pass_context
def command(ctx, tasks, out, **given):
    from ..errors import UsageError
    from ..listing import graph_output
    from ..project import load_project

    options = merged_options(ctx, given)
    config = load_project(options, ctx.find_root().obj["plugins"])
    fmt = options.get("format") or "text"
    text = config.plugins.call("zr_graph_render", config=config, targets=list(tasks),
                               format=fmt)
    if isinstance(text, list):  # a plugin host that returns every result
        text = text[0] if text else None
    if text is None:
        if fmt not in KERNEL_FORMATS:
            raise UsageError(f"--format {fmt}: zr graph draws {' and '.join(KERNEL_FORMATS)}, "
                             f"and no installed plugin draws '{fmt}' (`zr plugins` lists "
                             "them)")
        text = graph_output(config, list(tasks), as_json=fmt == "json")
    if out:
        from ..paths import atomic_write

        try:
            atomic_write(os.path.abspath(out), text.encode())
        except OSError as exc:
            raise UsageError(f"-o {out}: cannot write it: {exc.strerror}") from None
    else:
        click.echo(text, nl=False)
    return 0
