"""Hooks this plugin calls, for other plugins to implement.

Added to zr's plugin manager through ``zr_addhooks``; the kernel's plugin
host also calls them straight from its index, like the kernel's own hooks.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("zr")


@hookspec
def zr_workspace_members(config):
    """More member directories for the workspace of ``config``.

    Called once per invocation when the root ``zr.toml`` has a
    ``[workspace]`` table. Return a list of directories (absolute, or
    relative to the root ``zr.toml``), each holding a member's ``zr.toml``,
    or None. They join the directories matched by ``[workspace] members``
    (``exclude`` applies to both). A multi-repo plugin returns the checkouts
    of a synthetic workspace here.
    """


@hookspec
def zr_workspace_commands(group):
    """Add subcommands to ``zr workspace`` (a :class:`click.Group`): call
    ``group.add_command(command)``.

    Called the first time ``zr workspace`` looks up or lists its
    subcommands. The multi-repo plugin adds ``sync``, ``path`` and
    ``remove`` for its synthetic workspace. A name this plugin already has
    (``list``, ``run``) cannot be replaced.
    """
