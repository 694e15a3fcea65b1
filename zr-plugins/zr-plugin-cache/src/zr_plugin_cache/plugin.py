"""The ``cache`` plugin: hook implementations, kept thin.

This module is imported whenever a hook it implements is called, including
on every ``zr run``; it imports nothing at its top but ``zr``, and every
hook returns before importing anything when the project does not use what
it serves: a run with no ``cache = true`` task builds nothing (the real
work, :mod:`.session`, is imported only when a cacheable task is planned),
and ``[cache.remote]`` is checked only when there is one.
"""

from __future__ import annotations

from zr import hookimpl

_STATE = "cache"


@hookimpl
def zr_addhooks(pluginmanager):
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@hookimpl
def zr_config_sections(registry):
    from zr.api import BOOL, STRING_LIST

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
    from .remote_spec import RemoteSpec

    token_help = 'Put the token in an environment variable and name it with token_env = "NAME".'
    register("http", "zr_plugin_cache.http_backend:make_http_backend", spec=RemoteSpec(
        "http", settings=("url", "token_env"), required=("url",), credentials_help=token_help))
    register("turbo", "zr_plugin_cache.turbo_backend:make_turbo_backend", spec=RemoteSpec(
        "turbo", settings=("url", "token_env", "team", "slug"), required=("url",),
        credentials_help=token_help))


@hookimpl
def zr_validate(config):
    problems = []
    if config.options.get("validating"):  # `zr validate`: the slower usage checks
        from .usage_checks import usage_warnings

        problems += usage_warnings(config)
    remote = (config.doc.get("cache") or {}).get("remote")
    if not remote:
        return problems or None
    from .remote_validation import remote_problems

    return remote_problems(config, remote) + problems


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
def zr_task_executor(task, plan, run):
    """A cache hit: the restored result (local), or an executor that
    downloads the entry off the loop (remote); None: run it."""
    session = run.state.get(_STATE)
    if session is None:
        return None
    return session.lookup(task, plan)


def lookup(task, plan, run):
    """Public, for plugins whose executor runs tasks elsewhere and so answers
    ``zr_task_executor`` before this plugin: what the cache answers for one
    attempt (call it on zr's loop, as the hook is). A :class:`zr.api.TaskResult`
    (a local hit, restored and replayed), a :class:`zr.api.ThreadExecutor`
    whose ``fn(handle, plan)`` tries the remote and calls
    ``handle.run_locally()`` on a miss, or None (not cached: run it)."""
    return zr_task_executor(task, plan, run)


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
