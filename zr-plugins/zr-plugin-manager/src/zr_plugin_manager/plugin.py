"""The ``manager`` plugin's hooks (kept thin: zr imports this module on every
load of a project, so the work lives in modules imported when needed)."""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_config_sections(registry):
    from .settings import PLUGINS_SECTION, SECTION_HELP

    registry.section("plugins", PLUGINS_SECTION, help=SECTION_HELP)


@hookimpl
def zr_configure(config):
    if not (config.doc.get("plugins") or {}).get("required"):
        return
    from .requirements import check_project

    check_project(config)


@hookimpl
def zr_cli_commands(cli):
    from .commands import plugin_group

    cli.add_command(plugin_group)
