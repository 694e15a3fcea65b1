"""The ``watch`` plugin: ``zr watch TASK...``, the task field ``watch`` and
the ``[watch]`` table.

watchdog is imported only inside the command (:mod:`.loop`), never when
zr lists or runs tasks.
"""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_config_sections(registry):
    from zr.api import STRING_LIST

    from .schema import WATCH

    registry.section("watch", WATCH, help="zr watch: patterns, ignore, debounce, on_change "
                     "(restart | queue), poll, poll_interval.")
    registry.task_field("watch", STRING_LIST, help="Files whose change re-runs this task under "
                        "`zr watch` (globs relative to the task's cwd).")


@hookimpl
def zr_cli_commands(cli):
    from .command import watch

    cli.add_command(watch)
