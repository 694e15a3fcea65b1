"""Run-wide budgets: start a task only while the declared needs of the
tasks running beside it leave room (``[settings] max_total_memory``,
``max_cpu_percent``)."""

from __future__ import annotations

from .kinds import machine_cores


def memory_need(task) -> int:
    """What a task is expected to use: ``memory``, else its ``max_memory``."""
    return task.field("memory") or task.field("max_memory") or 0


def admits(task, running: list, total_memory, cpu_percent) -> bool:
    """True when ``task`` fits beside ``running`` (a task always starts
    when nothing else runs, even if it alone needs more than the budget)."""
    if not running:
        return True
    if total_memory:
        need = memory_need(task)
        if need and need + sum(memory_need(t) for t in running) > total_memory:
            return False
    if cpu_percent:
        cores = task.field("max_cpu") or 0
        allowed = cpu_percent / 100 * machine_cores()
        if cores and cores + sum(t.field("max_cpu") or 0 for t in running) > allowed:
            return False
    return True
