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


@hookspec
def zr_workspace_member_repositories(config):
    """Members whose files live in a git repository of their own.

    Called when ``--affected`` is computed for the workspace of ``config``.
    Return ``{member name: directory}`` (the top of that member's work
    tree), or None. Each such member is compared with its own history: the
    merge-base of the ref (resolved in that repository: ``auto`` is its own
    default branch) and its HEAD; its tasks' ``inputs`` are matched against
    paths relative to that directory. The other members are compared with
    the workspace root's repository as usual. The multi-repo plugin returns
    the checkouts of its synthetic workspace here.
    """
