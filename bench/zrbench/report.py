"""Turn result rows into what people read: a ratio table, target verdicts, JSON and a chart.

Ratios are the output: every row is shown as ``zr ÷ runner`` (below 1, zr
is faster), and absolute times only next to them, since they mean little
on another machine.
"""

from __future__ import annotations

import json
from pathlib import Path

from .scenarios import FLOOR, Row

MIB = 1024


def find(rows, scenario, tool, size=None):
    """The row of ``tool`` in ``scenario`` (at ``size``) that has a number, or None."""
    for r in rows:
        if r.scenario == scenario and r.tool == tool and (size is None or r.size == size) \
                and r.status == "ok":
            return r
    return None


def ratio(rows, row: Row):
    """zr's median ÷ this row's median, or None when either has no number."""
    ref = find(rows, row.scenario, "zr", row.size)
    if ref is None or row.status != "ok" or not row.median:
        return None
    return ref.median / row.median


def cpu_ratio(rows, row: Row):
    """zr's median CPU time ÷ this row's (each: the runner and its tasks), or None."""
    ref = find(rows, row.scenario, "zr", row.size)
    if ref is None or row.status != "ok" or not row.cpu or ref.cpu is None:
        return None
    return ref.cpu / row.cpu


def fmt_time(seconds) -> str:
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.2f} ms" if seconds < 0.01 else f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_rss(row: Row) -> str:
    if not row.rss_max_kib:
        return "-"
    return f"{mib(row.rss_max_kib)} / {mib(row.tree_peak_kib) if row.tree_peak_kib else '?'} MiB"


def mib(kib: int) -> str:
    return f"{kib / MIB:.1f}" if kib < 10 * MIB else f"{kib / MIB:.0f}"


def table(rows) -> str:
    """The main table: one line per runner per scenario, with zr ÷ runner."""
    header = ("scenario", "size", "runner", "median", "best", "zr ÷ runner", "CPU",
              "zr ÷ runner (CPU)", "RSS max/tree", "status / note")
    lines = [header]
    for r in rows:
        x = ratio(rows, r)
        status = r.status if r.status != "ok" else ""
        note = " — ".join(p for p in (status, r.note) if p)
        c = cpu_ratio(rows, r)
        lines.append((r.scenario, r.size, r.tool, fmt_time(r.median), fmt_time(r.best),
                      f"{x:.2f}x" if x is not None else "-", fmt_time(r.cpu),
                      f"{c:.2f}x" if c is not None else "-", fmt_rss(r), note))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    out = []
    for n, line in enumerate(lines):
        cells = [c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))]
        out.append("  ".join(cells) + "  " + line[-1])
        if n == 0:
            out.append("-" * len(out[0]))
    return "\n".join(out)


def targets(rows, sizes) -> list:
    """The design targets, each as ``{target, measured, goal, met}`` (measured None: no data)."""
    out = []

    def add(name, value, goal, limit, kind="ratio"):
        met = None if value is None else value <= limit
        out.append({"target": name, "measured": value, "goal": goal, "met": met, "kind": kind})

    def over(a, b):
        return a.median / b.median if a and b else None

    def over_cpu(a, b):
        return a.cpu / b.cpu if a and b and a.cpu and b.cpu else None

    for scenario, label, floor in (("startup-list", "zr list", 2.0),
                                   ("startup-run", "zr run (1 task)", 3.5)):
        zr = find(rows, scenario, "zr")
        add(f"{label} ÷ {FLOOR}", over(zr, find(rows, scenario, FLOOR)), f"≤ {floor}x", floor)
        add(f"{label} ÷ task", over(zr, find(rows, scenario, "task")), "< 1x", 0.999)
    graph_sizes = sorted(sizes.graph_sizes)
    if graph_sizes:
        small, large = graph_sizes[0], graph_sizes[-1]
        s_small, s_large = f"{small} tasks -j2", f"{large} tasks -j2"
        zr_small, zr_large = find(rows, "graph", "zr", s_small), find(rows, "graph", "zr", s_large)
        make_small = find(rows, "graph", "make", s_small)
        add(f"zr {small} tasks ÷ make -j2", over(zr_small, make_small), "≤ 1.3x", 1.3)
        add(f"zr {small} tasks ÷ make -j2, CPU time", over_cpu(zr_small, make_small),
            "≤ 1.3x", 1.3)
        add(f"zr {small} tasks ÷ task", over(zr_small, find(rows, "graph", "task", s_small)),
            "≤ 0.6x", 0.6)
        if large != small:
            per_task = (zr_large.median / large) / (zr_small.median / small) \
                if zr_large and zr_small else None
            add(f"zr per-task cost, {large} ÷ {small} tasks", per_task, "≤ 1.25x (flat)", 1.25)
        add(f"zr {large} tasks peak RSS (zr process)",
            zr_large.rss_max_kib / MIB if zr_large else None, "< 50 MiB", 49.999, "MiB")
        add(f"zr {large} tasks peak RSS (process tree, sampled)",
            zr_large.tree_peak_kib / MIB if zr_large and zr_large.tree_peak_kib else None,
            "< 50 MiB", 49.999, "MiB")
    resolved = find(rows, "resolve", "zr")
    add(f"zr graph resolution, {sizes.resolve_tasks} tasks",
        resolved.median * 1000 if resolved else None, "< 5 ms", 4.999, "ms")
    return out


def targets_table(items) -> str:
    lines = []
    width = max(len(t["target"]) for t in items) if items else 0
    for t in items:
        value = t["measured"]
        if value is None:
            shown, verdict = "-", "no data"
        else:
            unit = {"ratio": "x", "MiB": " MiB", "ms": " ms"}[t["kind"]]
            shown, verdict = f"{value:.2f}{unit}", "met" if t["met"] else "MISSED"
        lines.append(f"{t['target'].ljust(width)}  {shown:>10}  goal {t['goal']:<15} {verdict}")
    return "\n".join(lines)


def write_json(path: Path, rows, target_items, meta: dict) -> None:
    doc = dict(meta, rows=[r.to_json() for r in rows], targets=target_items)
    for r in doc["rows"]:
        r["zr_over_runner"] = ratio(rows, Row(**{k: v for k, v in r.items()
                                                 if k in Row.__dataclass_fields__}))
    path.write_text(json.dumps(doc, indent=2) + "\n")


def write_chart(path: Path, rows) -> str:
    """A PNG of zr ÷ runner per scenario (log scale); returns why not when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (bench/run installs it into bench/work/venv)"
    groups = []
    for r in rows:
        key = (r.scenario, r.size)
        if key not in groups and find(rows, key[0], "zr", key[1]):
            groups.append(key)
    if not groups:
        return "no scenario has a zr number to compare with"
    all_values = [v for g in groups for _, v in bars(rows, g)] or [1.0]
    low, high = min(min(all_values), 0.5) / 1.4, max(max(all_values), 2.0) * 1.4
    ticks = [t for t in (0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50) if low <= t <= high]
    height = 0.8 + sum(0.7 + 0.28 * max(1, len(bars(rows, g))) for g in groups)
    fig, axes = plt.subplots(len(groups), 1, figsize=(8, height), squeeze=False)
    for ax, group in zip(axes[:, 0], groups):
        data = bars(rows, group)
        names = [n for n, _ in data]
        values = [v for _, v in data]
        colours = ["#2a9d8f" if v <= 1 else "#e76f51" for v in values]
        # bars grow from 1x, so a bar's length is how far zr is from the runner
        ax.barh(names, [v - 1 for v in values], left=1, color=colours)
        ax.axvline(1.0, color="black", linewidth=0.8)
        ax.set_xscale("log")
        ax.set_xlim(low, high)
        ax.set_xticks(ticks, [f"{t:g}x" for t in ticks])
        ax.minorticks_off()
        ax.invert_yaxis()
        ax.set_title(f"{group[0]} — {group[1]}", fontsize=9, loc="left")
        ax.tick_params(labelsize=8)
        for y, v in enumerate(values):
            ax.text(v, y, f" {v:.2f}x ", va="center", fontsize=7,
                    ha="left" if v > 1 else "right")
    axes[-1, 0].set_xlabel("zr's median time ÷ runner's: left of 1x (green) zr is faster, "
                           "right (red) slower")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return ""


def bars(rows, group):
    return [(r.tool, ratio(rows, r)) for r in rows
            if (r.scenario, r.size) == group and r.tool != "zr" and ratio(rows, r)]
