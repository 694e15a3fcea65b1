"""The ``tui`` plugin: zr in a terminal.

- ``--progress auto|tty|plain|none``: a live status block below the
  streamed output of every run (:mod:`.progress`).
- A bare ``zr`` on a terminal, in a project without ``[settings] default``,
  opens a task picker (:mod:`.picker`), as does ``zr pick``.
- ``zr live TASK...`` (:mod:`.live`) and ``zr interactive-run TASK...``
  (:mod:`.interactive`).

Thin on purpose: a run that shows no terminal view imports nothing else of
this plugin (the checks below are a dict lookup and an ``isatty``).
"""

from __future__ import annotations

import os

from zr import hookimpl

_STATE_KEY = "tui"


@hookimpl
def zr_options(registry):
    registry.add("progress", ["--progress"], choices=["auto", "tty", "plain", "none"],
                 envvar="ZR_PROGRESS", metavar="MODE",
                 help="Live progress below the task output: auto (a status block on a "
                      "terminal, nothing in pipes, CI or TERM=dumb), tty (always the block), "
                      "plain (a line per finished task), none [default: auto].")


@hookimpl
def zr_run_start(run):
    view = run.options.get("tui_view")  # set by `zr live` / `zr interactive-run`
    if view is None:
        view = run.options.get("progress") or "auto"
        if view == "none" or (view == "auto" and not os.isatty(1)):
            return
    if run.printer is None:
        return
    from .progress import start

    start(run, view)


@hookimpl
def zr_task_start(task, run):
    progress = run.state.get(_STATE_KEY)
    if progress is not None:
        progress.task_started(task)


@hookimpl
def zr_task_finish(task, result, run):
    progress = run.state.get(_STATE_KEY)
    if progress is not None:
        progress.task_finished(task, result)


@hookimpl(tryfirst=True)
def zr_run_finish(run, summary):
    progress = run.state.pop(_STATE_KEY, None)
    if progress is not None:
        progress.close()


@hookimpl
def zr_task_failed(task, result, run):
    progress = run.state.get(_STATE_KEY)
    if progress is not None:
        return progress.task_failed(task, result)
    return None


@hookimpl
def zr_choose_targets(config):
    from .picker import choose_on_terminal

    return choose_on_terminal(config)


@hookimpl
def zr_cli_commands(cli):
    from .commands import interactive_run, live, pick

    for command in (live, interactive_run, pick):
        cli.add_command(command)
