"""``zr workflow [NAME]``: run a workflow, or list them."""

from __future__ import annotations

import sys

import click

from zr.api import TaskCommand, merged_options


@click.command("workflow", cls=TaskCommand, help=(
    "Run the workflow NAME of zr.toml: its stages in order, each stage's tasks through "
    "the scheduler, with a summary per stage. Without NAME, list the workflows.\n\n"
    "Exit status 1 when a stage failed."))
@click.argument("name", required=False)
@click.pass_context
def command(ctx, name, **given):
    from zr.api import make_printer
    from zr.api import load_project

    options = merged_options(ctx, given)
    plugins = ctx.find_root().obj["plugins"]
    printer = make_printer(options)
    config = load_project(options, plugins, warn=printer.warn)
    if name is None:
        return list_workflows(config)
    from .execute import run_workflow

    return run_workflow(config, name, make_printer(options, config))


def list_workflows(config) -> int:
    """Each workflow with its description and stages, sorted by name."""
    workflows = config.doc.get("workflows") or {}
    out = sys.stdout
    if not workflows:
        out.write(f"no workflows in {config.display_path}\n")
        return 0
    width = min(max(len(name) for name in workflows), 32)
    for name in sorted(workflows):
        workflow = workflows[name]
        stages = [stage["name"] for stage in workflow["stages"]]
        shown = f"{len(stages)} stage{'s' if len(stages) != 1 else ''}: {', '.join(stages)}"
        description = workflow["description"]
        out.write(f"{name.ljust(width)}  "
                  + (f"{description} ({shown})" if description else shown) + "\n")
    out.flush()
    return 0
