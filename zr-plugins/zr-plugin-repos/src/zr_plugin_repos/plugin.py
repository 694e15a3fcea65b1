"""The ``repos`` plugin: the ``zr repo`` command group, and the members of
synthetic workspaces for the workspace plugin.

Both hooks are thin: click and the git machinery are imported when ``zr
repo ...`` is used, and the members hook costs a project that is not a
synthetic workspace one stat. ``zr list`` and ``zr run`` import nothing.
"""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_cli_commands(cli):
    from .commands import repo

    cli.add_command(repo)


@hookimpl(optionalhook=True)
def zr_workspace_members(config):
    """Members of a synthetic workspace written by ``zr workspace sync``
    (a hook of zr-plugin-workspace; None for every other project)."""
    from .members import members_of

    return members_of(config.root)


@hookimpl(optionalhook=True)
def zr_workspace_member_repositories(config):
    """Each member of a synthetic workspace is a repo with its own history:
    ``--affected`` compares it with that (a hook of zr-plugin-workspace)."""
    from .members import repositories_of

    return repositories_of(config.root)


@hookimpl(optionalhook=True)
def zr_workspace_commands(group):
    """``zr workspace sync|path|remove`` for the synthetic workspace (a hook
    of zr-plugin-workspace)."""
    from .commands import workspace_path_command, workspace_remove_command, workspace_sync_command

    for command in (workspace_sync_command, workspace_path_command, workspace_remove_command):
        group.add_command(command)

