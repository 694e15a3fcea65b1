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
    check_runnable(config)
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


def check_runnable(config) -> None:
    """What a run would refuse later, refused now (exit 2): a ``[settings]
    default`` that names no task, a ``cwd`` that does not exist (one
    holding ``${...}`` is filled in per run, and checked then)."""
    import os

    from ..errors import ConfigError
    from ..project import locate

    default = config.setting("default")
    if default and default not in config.tasks and default not in config.aliases:
        from ..errors import did_you_mean

        raise locate(config, ConfigError(
            f"the default task '{default}' does not exist"
            f"{did_you_mean(default, list(config.tasks))}",
            file=config.display_path, key="settings.default"))
    for name, task in config.tasks.items():
        if "${" not in task.cwd and not os.path.isdir(task.cwd):
            raise locate(config, ConfigError(
                f"cwd '{os.path.relpath(task.cwd, config.root)}' does not exist",
                file=task.source or config.display_path,
                key=f"tasks.{name.split('[', 1)[0]}.cwd"))
