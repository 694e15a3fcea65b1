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
    options = merged_options(ctx, given)
    options["validating"] = True  # plugins' zr_validate may run slower checks now
    config = load_project(options, plugins, warn=warnings.append)
    check_runnable(config)
    warnings += unused_private_tasks(config)
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


def unused_private_tasks(config) -> list:
    """A warning for each private task that nothing refers to: it cannot be
    run from the command line, so it never runs. A reference is a
    dependency, the default, or the task's name as a value anywhere else in
    zr.toml (a workflow stage, for one)."""
    from ..errors import ConfigError
    from ..project import locate

    mentioned = set(_strings([v for k, v in config.doc.items() if k != "tasks"]))
    default = config.setting("default")
    for task in config.tasks.values():
        mentioned.update(task.deps)
        mentioned.update(task.deps_serial)
        mentioned.update(_strings(task.fields))
    found = []
    for name, task in config.tasks.items():
        if "[" in name or not (task.private or name.startswith("_")):
            continue
        if name in mentioned or name == default:
            continue
        found.append(locate(config, ConfigError(
            f"private task '{name}' is not used by any task: it cannot be run from the "
            f"command line, so it never runs", file=task.source or config.display_path,
            key=f"tasks.{name}")).render())
    return found


def _strings(value):
    """Every string inside ``value`` (nested tables and arrays)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
