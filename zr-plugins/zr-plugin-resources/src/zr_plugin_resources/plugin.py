"""The ``resources`` plugin's hooks. Thin: a task without limits costs one
dictionary lookup; psutil is imported only by ``--monitor`` and by a
launcher that has no cgroup to use."""

from __future__ import annotations

import os
import sys

from zr.api import hookimpl

from .kinds import CORES, MEMORY, PERCENT

LIMIT_FIELDS = ("max_memory", "max_cpu")


@hookimpl
def zr_config_sections(registry):
    registry.task_field("max_memory", MEMORY, help=(
        "Kill the task when its processes together use more memory than this (\"512MB\"); "
        "enforced by a cgroup where zr can make one, else by sampling its process tree."))
    registry.task_field("max_cpu", CORES, help=(
        "Limit the task to this many cores (0.5 = half of one core)."))
    registry.task_field("memory", MEMORY, help=(
        "The memory the task is expected to need; with [settings] max_total_memory, tasks "
        "start only while their needs fit together."))
    registry.setting("max_total_memory", MEMORY, help=(
        "Run tasks at once only while their `memory` (else `max_memory`) fit in this."))
    registry.setting("max_cpu_percent", PERCENT, help=(
        "Run tasks at once only while their `max_cpu` fit in this share of the machine's "
        "cores."))


@hookimpl
def zr_options(registry):
    registry.add("monitor", ["--monitor"], takes_value=False,
                 help="Show live CPU and memory use of the running tasks; record each "
                      "task's peak memory and CPU time.")


@hookimpl
def zr_task_admit(task, running, run):
    """Hold a task back while the run-wide budgets would be passed."""
    settings = run.config
    total = settings.setting("max_total_memory")
    cpu_share = settings.setting("max_cpu_percent")
    if not total and not cpu_share:
        return None
    from .budget import admits

    return admits(task, running, total, cpu_share)


@hookimpl(trylast=True)
def zr_task_plan(task, plan, run):
    """Wrap every command of a limited task in the launcher (outermost, so
    the limit covers whatever other plugins put around the command). A
    wrapper, not part of the command: the launcher's path is this machine's,
    and a limit does not change what a task that succeeds produces, so
    neither goes into the cache key."""
    memory, cpu = task.field("max_memory"), task.field("max_cpu")
    if not memory and not cpu:
        return
    prefix = [sys.executable, "-m", "zr_plugin_resources.launcher"]
    if memory:
        prefix += ["--memory", str(memory)]
    if cpu:
        prefix += ["--cpu", f"{cpu:g}"]
    plan.wrap(prefix + ["--"])
    run.state["resources-launched"] = True


@hookimpl
def zr_run_start(run):
    if run.options.get("monitor"):
        from .live import start_monitor

        start_monitor(run)


@hookimpl
def zr_process_started(task, pid, run):
    monitor = run.state.get("resources")
    if monitor is not None:
        monitor.track(task.name, pid)


@hookimpl
def zr_task_finish(task, result, run):
    if not any(task.field(f) for f in LIMIT_FIELDS):
        monitor = run.state.get("resources")
        if monitor is not None:
            result.extra.update(monitor.finished(task.name))
        return
    from . import reports
    from .outcome import apply_reports

    apply_reports(task, result, reports.collect(os.getpid(), task.name), run.printer)


@hookimpl
def zr_run_finish(run, summary):
    monitor = run.state.get("resources")
    if monitor is not None:
        monitor.stop()
    if run.state.get("resources-launched"):
        from . import reports

        reports.remove_run(os.getpid())
