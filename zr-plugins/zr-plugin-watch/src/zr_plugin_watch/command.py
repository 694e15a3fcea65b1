"""``zr watch TASK... [--poll]``."""

from __future__ import annotations

import click

from zr.api import TaskCommand, merged_options


@click.command("watch", cls=TaskCommand, help=(
    "Run TASKS, then run them again whenever their files change.\n\n"
    "What is watched: the tasks' `watch` globs and [watch] patterns (every file of the "
    "project when there are none), minus .gitignore'd files, [watch] ignore and the tasks' "
    "outputs. A change during a run restarts it ([watch] on_change = \"queue\" waits for "
    "it instead). Accepts every option of `zr run`."))
@click.argument("tasks", nargs=-1)
@click.option("--poll", "poll", is_flag=True, default=None,
              help="Poll for changes instead of using native file events (network and "
                   "container file systems).")
@click.pass_context
def watch(ctx, tasks, poll, **given):
    from zr.api import make_printer
    from zr.errors import UsageError
    from zr.api import load_project

    plugins = ctx.find_root().obj["plugins"]
    options = merged_options(ctx, given)
    config = load_project(options, plugins)
    targets = list(tasks) or ([config.setting("default")] if config.setting("default")
                              else [])
    if not targets:
        raise UsageError("zr watch needs a task (or [settings] default); `zr list` shows them")
    from .loop import WatchLoop
    from .plan import WatchPlan, child_argv

    plan = WatchPlan(config, targets)
    argv, env = child_argv(plan, plugins.option_specs(), options)
    return WatchLoop(plan, argv, env, make_printer(options, config), poll=bool(poll)).run()
