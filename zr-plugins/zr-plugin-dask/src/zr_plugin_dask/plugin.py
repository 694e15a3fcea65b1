"""The ``dask`` plugin: hook implementations, kept thin.

Imported on every ``zr run``; it imports nothing heavy at its top.
``distributed`` is imported only when a run sends tasks to a cluster
(:mod:`.executor`) and by ``zr worker``. Without ``--executor`` or
``[executor]`` and without ``--shard``, every hook returns at once.
"""

from __future__ import annotations

from zr import hookimpl

_STATE = "dask"
_SHARD = "dask-shard"


@hookimpl
def zr_options(registry):
    registry.add("executor", ["--executor"], envvar="ZR_EXECUTOR", metavar="WHERE",
                 help="Run tasks on a Dask cluster: dask://HOST:PORT (or local).")
    registry.add("shard", ["--shard"], envvar="ZR_SHARD", metavar="K/N",
                 help="Run only shard K of N of the tasks (and the dependencies they need "
                      "that are not cached).")


@hookimpl
def zr_config_sections(registry):
    from .settings import EXECUTOR_SECTION, RESOURCES

    registry.section("executor", EXECUTOR_SECTION, help=(
        'Where tasks run: type = "dask", address = "tcp://HOST:PORT" (a Dask scheduler); '
        "--executor and ZR_EXECUTOR win."))
    registry.task_field("resources", RESOURCES, help=(
        "Dask worker resources the task needs, e.g. { gpu = 1 }: it runs only on workers "
        "started with them (zr worker --resources gpu=1)."))


@hookimpl
def zr_cli_commands(cli):
    from .worker import worker_command

    cli.add_command(worker_command)


@hookimpl
def zr_configure(config):
    options = config.options
    if options.get("shard"):
        from zr.api import UsageError

        from .shard import parse

        try:
            parse(options["shard"])
        except ValueError as error:
            raise UsageError(str(error)) from None
    if not options.get("executor") and not config.doc.get("executor"):
        return
    from .checks import check_executor

    check_executor(config)


@hookimpl
def zr_default_jobs(config):
    """Without -j: as many tasks at once as the cluster has worker threads."""
    if not config.options.get("executor") and not config.doc.get("executor"):
        return None
    from .checks import cluster_threads

    return cluster_threads(config)


@hookimpl
def zr_run_start(run):
    if run.options.get("shard"):
        from .shard import Shard, parse

        run.state[_SHARD] = Shard(run, *parse(run.options["shard"]))
    if not run.options.get("executor") and not run.config.doc.get("executor"):
        return
    from .checks import make_session

    session = make_session(run)
    if session is not None:
        run.state[_STATE] = session


@hookimpl
def zr_task_skip(task, run):
    shard = run.state.get(_SHARD)
    return None if shard is None else shard.skip_reason(task.name)


@hookimpl(tryfirst=True)
def zr_task_executor(task, plan, run):
    """Before the cache plugin: a local hit is returned as it is; anything
    else runs on the cluster (trying the remote cache first there)."""
    session = run.state.get(_STATE)
    if session is None or task.interactive:  # a terminal is here, not on a worker
        return None
    if plan.wrappers or plan.unkeyed_env:
        # A container, a limit launcher or a toolchain's install directory is
        # how the task runs on this machine: a worker cannot run that plan.
        run.printer.debug(f"{task.name}: runs on this machine (its plan is wrapped or "
                          "names this machine's tool installs)")
        return None
    from zr.api import TaskResult
    from zr_plugin_cache.plugin import lookup

    from .executor import DaskExecutor

    answer = lookup(task, plan, run)
    if isinstance(answer, TaskResult):
        return answer
    return DaskExecutor(session, task, plan, answer)


@hookimpl
def zr_task_finish(task, result, run):
    """A worker lost while running the task counts as an attempt
    (``attempts``, and ``extra.lost_workers`` names them). Dask, not the
    kernel, reran it on another worker, so the task's ``retry`` budget is
    untouched: a task with ``retry = 2`` still gets two retries for its
    own failures after a lost worker."""
    session = run.state.get(_STATE)
    lost = session.lost_workers.pop(task.name, None) if session is not None else None
    if lost:
        result.attempts += len(lost)
        result.extra["lost_workers"] = list(lost)


@hookimpl
def zr_run_finish(run, summary):
    session = run.state.pop(_STATE, None)
    if session is not None:
        session.close()
