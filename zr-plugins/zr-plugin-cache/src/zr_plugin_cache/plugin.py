"""The ``cache`` plugin: hook implementations, kept thin.

This module is imported whenever a hook it implements is called, including
on every ``zr run``; it imports nothing heavy. A run with no ``cache = true``
task builds nothing: the real work (:mod:`.session`) is imported only when
a cacheable task is planned.
"""

from __future__ import annotations

from zr import hookimpl

_STATE = "cache"


@hookimpl
def zr_config_sections(registry):
    from zr.config.kinds import BOOL, STRING_LIST

    from .settings import CACHE_SECTION

    registry.section("cache", CACHE_SECTION, help=(
        "Task cache settings: dir (store location), max_size (\"5GB\"), read_only (never "
        "upload), signing_key_env, respect_gitignore, remote = { type, url, token_env, ... }."))
    registry.task_field("cache", BOOL, help=(
        "Reuse this task's outputs and log when nothing it depends on changed."))
    registry.task_field("inputs", STRING_LIST, help=(
        "Globs (relative to cwd, ! to exclude) of the files the task reads; default: every "
        "file below cwd that git does not ignore."))
    registry.task_field("outputs", STRING_LIST, help=(
        "Globs (relative to cwd) of the files the task produces; restored on a cache hit. "
        "A declared output the run did not produce fails the task."))
    registry.task_field("env_inputs", STRING_LIST, help=(
        "Environment variables whose values are part of the cache key."))


@hookimpl
def zr_options(registry):
    registry.add("no_cache", ["--no-cache"], takes_value=False,
                 help="Neither read nor write the task cache in this run.")


@hookimpl
def zr_cli_commands(cli):
    from .commands import cache_group

    cli.add_command(cache_group)


@hookimpl
def zr_cache_backends(register):
    from .http_backend import make_http_backend
    from .turbo_backend import make_turbo_backend

    register("http", make_http_backend)
    register("turbo", make_turbo_backend)


@hookimpl
def zr_run_start(run):
    wanted = any(run.tasks[name].field("cache") is True for name in run.plan)
    if wanted and not run.options.get("no_cache"):
        from .session import CacheSession

        run.state[_STATE] = CacheSession(run)


@hookimpl
def zr_task_start(task, run):
    session = run.state.get(_STATE)
    if session is not None and session.applies_to(task):
        run.capture(task)


@hookimpl(tryfirst=True)
def zr_run_task(task, plan, run):
    session = run.state.get(_STATE)
    if session is not None and session.applies_to(task):
        return session.lookup(task)
    return None


@hookimpl
def zr_task_finish(task, result, run):
    session = run.state.get(_STATE)
    if session is not None and session.applies_to(task):
        session.record(task, result)


@hookimpl
def zr_run_finish(run, summary):
    session = run.state.pop(_STATE, None)
    if session is not None:
        session.finish()
