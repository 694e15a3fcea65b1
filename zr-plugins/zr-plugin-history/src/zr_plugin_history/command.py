"""``zr history [TASK]`` and ``zr history clear``."""

from __future__ import annotations

import json

import click

from zr.api import merged_options


def _project(ctx) -> str:
    from zr.config import find_config

    return find_config(ctx.params.get("config"))


@click.command("history", help=(
    "Show recorded runs of this project, newest first; with TASK, that task's "
    "durations over time, success rate and p50/p95. `zr history clear` deletes this "
    "project's history (--all: every project's)."))
@click.argument("words", nargs=-1, metavar="[TASK | clear]")
@click.option("--task", "task", default=None, metavar="NAME",
              help="Show this task (for a task named like a subcommand, e.g. 'clear').")
@click.option("--format", "format", type=click.Choice(["text", "json"]), default="text",
              help="Output format.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many runs to show (and to compute task statistics over).")
@click.option("--all", "all_projects", is_flag=True,
              help="With `clear`: delete the history of every project.")
@click.option("-c", "--config", "config", default=None, metavar="PATH",
              help="Use this zr.toml.")
@click.pass_context
def history(ctx, words, task, format, limit, all_projects, config):
    from zr.errors import UsageError

    if len(words) > 1:
        raise UsageError(f"zr history takes one TASK (or `clear`), got {' '.join(words)}")
    word = words[0] if words else None
    if word == "clear" and task is None:
        return _clear(ctx, all_projects)
    if all_projects:
        raise UsageError("--all only goes with `zr history clear`")
    name = task or word
    project = _project(ctx)
    from . import report
    from .store import connect, database_path, recent_runs, task_history

    try:
        conn = connect(create=False)
    except FileNotFoundError:
        conn = None
    except Exception as exc:
        damaged = "not a database" in str(exc) or "malformed" in str(exc)
        raise UsageError(f"cannot read the run history {database_path()}: {exc}"
                         + ("; `zr history clear --all` starts a new one" if damaged
                            else "")) from None
    try:
        if name is None:
            runs = recent_runs(conn, project, limit) if conn else []
            output = (json.dumps(report.runs_json(runs), indent=2) if format == "json"
                      else report.runs_text(runs))
        else:
            entries = task_history(conn, project, name, limit) if conn else []
            if not entries:
                _check_task(ctx, name)
            output = (json.dumps(report.task_json(name, entries), indent=2)
                      if format == "json" else report.task_text(name, entries))
    finally:
        if conn is not None:
            conn.close()
    click.echo(output)
    return 0


def _check_task(ctx, name: str) -> None:
    """A misspelt task name is an error with a suggestion, not an empty table
    (a task with recorded runs may since have been renamed: that is fine)."""
    from zr.errors import UsageError, did_you_mean
    from zr.api import load_project

    options = merged_options(ctx, {"config": ctx.params.get("config")})
    config = load_project(options, ctx.find_root().obj["plugins"])
    if name not in config.tasks and name not in config.aliases:
        raise UsageError(f"unknown task '{name}'{did_you_mean(name, config.tasks)}")


def _clear(ctx, all_projects: bool) -> int:
    import os

    from .journal import journal_path, pending
    from .store import clear, connect, database_path

    path = database_path()
    project = None if all_projects else _project(ctx)
    if not os.path.exists(path) and not pending(path):
        click.echo("history is already empty")
        return 0
    try:
        conn = connect()
    except Exception as exc:
        if not all_projects:
            from zr.errors import UsageError

            raise UsageError(f"cannot open the run history {path}: {exc}; "
                             "`zr history clear --all` starts a new one") from None
        for damaged in (path, journal_path(path)):  # --all starts anew
            if os.path.exists(damaged):
                os.remove(damaged)
        click.echo(f"removed the damaged history file {path}")
        return 0
    try:
        count = clear(conn, project)
    finally:
        conn.close()
    where = "every project" if all_projects else "this project"
    click.echo(f"cleared {count} run{'s' if count != 1 else ''} of {where}")
    return 0
