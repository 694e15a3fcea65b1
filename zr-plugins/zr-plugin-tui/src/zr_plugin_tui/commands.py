"""``zr live``, ``zr interactive-run`` and ``zr pick``.

Each is ``zr run`` with a view: the command names the view in the run's
options (``tui_view``) and hands over to the kernel's ``zr run``, whose
``zr_run_start`` hook (in :mod:`.plugin`) shows it. So planning, the
scheduler, the summary and the exit code are exactly those of ``zr run``.
"""

from __future__ import annotations

import click

from zr.api import TaskCommand, merged_options


def _run_with_view(ctx, tasks, given, view: str | None) -> int:
    from zr.api import Invocation, execute
    from zr.errors import UsageError

    from .terminal import env_allows_cursor_moves, tty_streams

    if tty_streams() is None or not env_allows_cursor_moves():
        raise UsageError(f"zr {ctx.info_name} needs a terminal (stdin and stdout, TERM not "
                         "dumb, not CI); use `zr run` elsewhere")
    options = merged_options(ctx, given)
    if view is not None:
        options["tui_view"] = view
        options["output"] = "stream"
    return execute(Invocation("run", options, list(tasks), options["args"]),
                   ctx.find_root().obj["plugins"])


@click.command("live", cls=TaskCommand, help=(
    "Run TASKS full-screen, with a pane per task in a grid (up to four at once, side by "
    "side or stacked to fit the terminal): its live output, status and duration.\n\n"
    "Keys: Tab/Shift-Tab, Left/Right (or 1-9) move the focus between panes, Up/Down/PgUp/"
    "PgDn/Home scroll the focused pane, End brings it back to the newest line, z or Enter "
    "zooms it full-screen and back (Esc too), q or Ctrl-C stops the run. The outcome, "
    "summary and exit code are those of `zr run`; the last lines of failed tasks are "
    "printed after the view closes."))
@click.argument("tasks", nargs=-1)
@click.pass_context
def live(ctx, tasks, **given):
    return _run_with_view(ctx, tasks, given, "live")


@click.command("interactive-run", cls=TaskCommand, help=(
    "Run TASKS with keys to steer them: p pauses the running tasks (SIGSTOP to their "
    "process groups; timeouts stop counting), r resumes them, c cancels them (their whole "
    "process groups), Ctrl-C stops the run. When a task fails you are asked whether to "
    "retry it, skip it (its dependents run) or abort."))
@click.argument("tasks", nargs=-1)
@click.pass_context
def interactive_run(ctx, tasks, **given):
    return _run_with_view(ctx, tasks, given, "interactive")


@click.command("pick", cls=TaskCommand, help=(
    "Choose a task to run from a searchable list (what a bare `zr` opens on a terminal "
    "when there is no [settings] default). Accepts every option of `zr run`."))
@click.pass_context
def pick(ctx, **given):
    from zr.api import load_project

    from .picker import choose_on_terminal

    options = merged_options(ctx, given)
    config = load_project(options, ctx.find_root().obj["plugins"])
    chosen = choose_on_terminal(config)
    if chosen is None:
        from zr.errors import UsageError

        raise UsageError("zr pick needs a terminal (stdin and stdout) and a project with "
                         "tasks; `zr list` shows them")
    if not chosen:
        return 0
    return _run_with_view(ctx, chosen, given, None)
