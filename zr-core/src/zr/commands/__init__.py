"""The kernel's own commands, registered through ``zr_cli_commands`` exactly
as a plugin registers its commands."""

from ..markers import hookimpl


@hookimpl
def zr_cli_commands(cli):
    from . import completion, graph, init, listing, plugins, run, validate

    for module in (run, listing, graph, validate, init, completion, plugins):
        cli.add_command(module.command)
