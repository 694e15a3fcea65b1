"""What ``zr history`` prints: tables for people, JSON for programs."""

from __future__ import annotations

import math
import time

from zr.api import format_duration

EXECUTED = ("success", "failed", "timed_out", "interrupted")
SUCCEEDED = ("success", "cached")
COUNTED = ("success", "cached", "failed", "timed_out")


def percentile(values: list, fraction: float):
    """Nearest-rank percentile (p50 of 1..4 is 2); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def task_stats(entries: list) -> dict:
    """Success rate over runs where the task ran or was cached; p50/p95 of the
    durations of runs that really executed it (a cache hit's near-zero time
    would hide how long the task takes)."""
    counted = [e for e in entries if e["status"] in COUNTED]
    durations = [e["duration"] for e in entries if e["status"] in EXECUTED]
    ok = sum(1 for e in counted if e["status"] in SUCCEEDED)
    return {
        "runs": len(entries),
        "success_rate": round(ok / len(counted), 4) if counted else None,
        "p50": _rounded(percentile(durations, 0.50)),
        "p95": _rounded(percentile(durations, 0.95)),
    }


def when(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))


def iso(timestamp: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(timestamp))


def _table(header: list, rows: list) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    lines = []
    for row in [header] + rows:
        lines.append("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths))
                     .rstrip())
    return "\n".join(lines)


def runs_text(runs: list) -> str:
    if not runs:
        return "no runs recorded for this project yet"
    rows = []
    for run in runs:
        failed = [t["name"] for t in run["tasks"] if t["status"] in ("failed", "timed_out")]
        rows.append([run["id"], when(run["started_at"]), format_duration(run["duration"]),
                     run["exit_code"], " ".join(run["targets"]) or "-", run["profile"] or "-",
                     (run["git_commit"] or "-")[:10],
                     ("failed: " + ", ".join(failed)) if failed else ""])
    return _table(["run", "started", "took", "exit", "targets", "profile", "commit", ""], rows)


def runs_json(runs: list) -> dict:
    return {"runs": [{**run, "started_at": iso(run["started_at"]),
                      "duration": round(run["duration"], 6)} for run in runs]}


def _seconds(value) -> str:
    return format_duration(value) if value is not None else "-"


def task_text(name: str, entries: list) -> str:
    if not entries:
        return f"no recorded runs of '{name}' in this project"
    stats = task_stats(entries)
    rate = (f"{stats['success_rate'] * 100:.0f}% succeeded" if stats["success_rate"] is not None
            else "never ran")
    head = (f"{name}: {stats['runs']} run{'s' if stats['runs'] != 1 else ''}, {rate}, "
            f"p50 {_seconds(stats['p50'])}, p95 {_seconds(stats['p95'])}")
    rows = [[e["run_id"], when(e["started_at"]), e["status"].replace("_", " "),
             format_duration(e["duration"]), e["exit_code"] if e["exit_code"] is not None
             else "-", e["attempts"]] for e in entries]
    header = ["run", "started", "status", "took", "exit", "attempts"]
    if any(e.get("peak_rss") is not None for e in entries):  # measured by a resource plugin
        header += ["peak memory", "CPU time"]
        for row, e in zip(rows, entries):
            row += [f"{e['peak_rss'] / 1e6:.0f} MB" if e.get("peak_rss") is not None else "-",
                    _seconds(e.get("cpu_seconds"))]
    return head + "\n" + _table(header, rows)


def task_json(name: str, entries: list) -> dict:
    return {"task": name, **task_stats(entries),
            "history": [{**e, "started_at": iso(e["started_at"]),
                         "duration": round(e["duration"], 6)} for e in entries]}


def _rounded(value):
    return round(value, 6) if value is not None else None
