"""Where zr's time goes: ``-X importtime`` of ``zr list`` and cProfile of a graph run."""

from __future__ import annotations

import pstats
import subprocess
from pathlib import Path


def import_times(zr_python: str, cwd: Path, env: dict, out: Path, top: int = 30) -> str:
    """Run ``python -X importtime -m zr list``; write the raw log and return the top modules."""
    proc = subprocess.run([zr_python, "-X", "importtime", "-m", "zr", "list"], cwd=cwd, env=env,
                          capture_output=True, text=True)
    (out / "importtime-zr-list.txt").write_text(proc.stderr)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        head, cumulative_us, name = line.split("|", 2)
        self_us = head.split(":", 1)[1]
        rows.append((int(cumulative_us), int(self_us), name.strip()))
    rows.sort(reverse=True)
    total = sum(s for _, s, _ in rows)
    lines = [f"imports of `zr list`: {len(rows)} modules, {total / 1000:.1f} ms self time in total",
             "cumulative ms  self ms  module"]
    lines += [f"{c / 1000:13.2f}  {s / 1000:7.2f}  {n}" for c, s, n in rows[:top]]
    return "\n".join(lines)


def cprofile_run(zr_python: str, argv_tail: list, cwd: Path, env: dict, out: Path,
                 label: str, top: int = 30) -> str:
    """cProfile of ``python -m zr ARGS``; writes the .prof and returns the top functions."""
    prof = out / f"cprofile-{label}.prof"
    subprocess.run([zr_python, "-m", "cProfile", "-o", str(prof), "-m", "zr", *argv_tail],
                   cwd=cwd, env=env, capture_output=True, text=True)
    if not prof.exists():
        return f"cProfile of zr {' '.join(argv_tail)} produced no profile"
    text_path = out / f"cprofile-{label}.txt"
    with open(text_path, "w") as fh:
        stats = pstats.Stats(str(prof), stream=fh)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
    prof.unlink()
    return text_path.read_text()
