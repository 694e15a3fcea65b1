"""The workspace plugin's hooks. Kept thin: a project without ``[workspace]``
or ``[metadata]`` pays for two dict lookups and imports nothing else."""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_addhooks(pluginmanager):
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def zr_config_sections(registry):
    from zr.api import BOOL

    from . import schema

    registry.section("workspace", schema.WORKSPACE, help=schema.WORKSPACE_HELP)
    registry.section("metadata", schema.METADATA, help=schema.METADATA_HELP)
    registry.section("constraints", schema.CONSTRAINTS, help=schema.CONSTRAINTS_HELP)
    registry.task_field("inherit", BOOL, default=False, help=schema.INHERIT_HELP)


@hookimpl
def zr_options(registry):
    registry.add("filter", ["--filter", "-F"], multiple=True, metavar="FILTER",
                 help="Run a root task only in these workspace members: NAME, a glob, "
                      "tag:NAME, ./path, NAME... (with its dependencies), ...NAME (with its "
                      "dependents), !NAME (not). Repeatable.")
    from .base import NO_REF

    registry.add("affected", ["--affected"], metavar="REF", envvar="ZR_AFFECTED_BASE",
                 flag_value=NO_REF,
                 help="Run a root task only in members changed since the merge-base of REF "
                      "and HEAD (uncommitted and untracked files count), and their "
                      "dependents; REF 'auto' is the default branch. Without REF: "
                      "ZR_AFFECTED_BASE, else in CI (CI=true) the default branch, else an "
                      "error. ZR_AFFECTED_BASE alone also turns it on.")
    registry.add("no_dependents", ["--no-dependents"], takes_value=False,
                 help="With --affected: leave out members that are affected only through "
                      "a dependency.")


@hookimpl
def zr_configure(config):
    options = config.options
    if "workspace" in config.doc:
        return
    for name, flag in (("filter", "--filter"), ("affected", "--affected")):
        if options.get(name) and not (name == "affected" and _from_env_only(options)):
            from zr.errors import UsageError

            raise UsageError(f"{flag} selects workspace members, and {config.display_path} "
                             "has no [workspace]; see docs/workspace.md")


def _from_env_only(options) -> bool:
    """ZR_AFFECTED_BASE set in a CI environment must not break projects
    without a workspace; only an explicit --affected is refused."""
    import os

    return os.environ.get("ZR_AFFECTED_BASE") == options.get("affected")


@hookimpl(tryfirst=True)
def zr_expand_tasks(config, tasks):
    if "workspace" in config.doc:
        from .expand import expand_workspace
        from .workspace import get_workspace

        expand_workspace(config, tasks, get_workspace(config))
    elif "metadata" in config.doc:
        from .expand import expand_lone_member

        expand_lone_member(config, tasks)


@hookimpl
def zr_cli_commands(cli):
    from .commands import affected, lint, workspace

    cli.add_command(workspace)
    cli.add_command(affected)
    cli.add_command(lint)


@hookimpl
def zr_list_fold(config, tasks):
    if "workspace" not in config.doc:
        return None
    from .listing import fold

    return fold(config, tasks)


@hookimpl
def zr_graph_render(config, targets, format):
    from .views import render

    return render(config, targets, format)
