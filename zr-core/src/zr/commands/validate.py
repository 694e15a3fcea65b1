"""``zr validate [--strict] [--schema]``."""

import json

import click

from ..clickapp import merged_options


@click.command("validate", help="Check zr.toml: syntax, types, unknown keys, dependencies, "
               "cycles and what plugins check (conditions...). Exit 2 on an error.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--schema", is_flag=True, help="Print the JSON Schema of zr.toml (from the "
              "installed plugins) instead.")
@click.option("-c", "--config", "config", default=None, metavar="PATH",
              help="Validate this file.")
@click.pass_context
def command(ctx, strict, schema, **given):
    plugins = ctx.find_root().obj["plugins"]
    if schema:
        from ..config.schema import json_schema

        click.echo(json.dumps(json_schema(plugins.config_registry()), indent=2))
        return 0
    from ..config.load import display_path
    from ..output import print_error
    from ..project import load_project

    warnings = []
    config = load_project(merged_options(ctx, given), plugins, warn=warnings.append)
    for warning in warnings:
        (print_error if strict else lambda m: click.echo(f"zr: warning: {m}", err=True))(
            warning)
    if strict and warnings:
        return 2
    count = len(config.tasks)
    click.echo(f"{display_path(config.path)}: valid ({count} task{'s' if count != 1 else ''}"
               + (f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
                  if warnings else "") + ")")
    return 0
