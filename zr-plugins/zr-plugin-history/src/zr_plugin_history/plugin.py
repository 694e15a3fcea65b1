"""The ``history`` plugin: record every run, show it with ``zr history``.

Thin on purpose: sqlite3 and click are imported inside the hooks that need
them (:mod:`.recorder`, :mod:`.command`), so loading the plugin costs nothing.
"""

from __future__ import annotations

from zr import hookimpl


@hookimpl
def zr_configure(config):
    from . import project

    project.current = config.path


@hookimpl
def zr_run_finish(run, summary):
    from .recorder import record_run

    record_run(run, summary)


@hookimpl
def zr_cli_commands(cli):
    from .command import history

    cli.add_command(history)


@hookimpl(optionalhook=True)  # a hook of the expr plugin, if installed
def zr_expr_functions(register):
    from .functions import last_duration

    register("history.last_duration", last_duration,
             help="history.last_duration('task'): seconds the task took the last time it "
                  "succeeded in this project (from zr history), 0 if never")
