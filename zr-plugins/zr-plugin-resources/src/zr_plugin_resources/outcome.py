"""A limited task's result, told from its launchers' reports."""

from __future__ import annotations

from zr.api import FAILED


def megabytes(size) -> str:
    return f"{size / 1e6:.0f} MB" if size is not None else "?"


def apply_reports(task, result, reports: list, printer) -> None:
    """Record peak memory, CPU time and the mechanism in ``result.extra``;
    a task the memory limit killed fails with a message that says so."""
    if not reports:
        return
    peak = max((r.get("peak_rss") or 0) for r in reports)
    cpu = sum((r.get("cpu_seconds") or 0.0) for r in reports)
    mechanism = reports[-1].get("mechanism")
    result.extra.update({"peak_rss": peak, "cpu_seconds": round(cpu, 3),
                         "limit_mechanism": mechanism})
    why_not = next((r["cgroup_unavailable"] for r in reports if r.get("cgroup_unavailable")), "")
    printer.debug(f"{task.name}: limits enforced by {mechanism}"
                  + (f" (no cgroup: {why_not})" if why_not else "")
                  + f"; peak memory {megabytes(peak)}, CPU time {cpu:.2f}s")
    killed = next((r for r in reports if r.get("killed_for") == "memory"), None)
    if killed is not None:
        result.status = FAILED
        result.exit_code = 1
        result.message = (f"killed: used more memory than max_memory "
                          f"{megabytes(killed['memory_limit'])} (peak "
                          f"{megabytes(killed.get('peak_rss'))}, {mechanism})")
