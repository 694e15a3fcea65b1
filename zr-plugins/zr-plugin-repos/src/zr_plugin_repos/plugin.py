"""The ``repos`` plugin: adds the ``zr repo`` command group.

Only the command hook lives here; click and the git machinery are imported
when ``zr repo ...`` is used, never by ``zr list`` or ``zr run``.
"""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_cli_commands(cli):
    from .commands import repo

    cli.add_command(repo)
