"""Where zr's time goes: ``-X importtime`` of ``zr list`` and cProfile of a graph run.

Both run the ``zr`` console script itself (as a user does, not ``-m zr``)
after a first run whose profile is thrown away, so zr's caches (parsed
config, plugin index) are warm as they are for the timed runs.
"""

from __future__ import annotations

import pstats
import subprocess
from pathlib import Path


def import_times(zr_python: str, zr_script: str, argv_tail: list, cwd: Path, env: dict,
                 out: Path, label: str, top: int = 30) -> str:
    """Run ``python -X importtime zr ARGS``; write the raw log and return the top modules."""
    subprocess.run([zr_script, *argv_tail], cwd=cwd, env=env, capture_output=True)
    proc = subprocess.run([zr_python, "-X", "importtime", zr_script, *argv_tail], cwd=cwd,
                          env=env, capture_output=True, text=True)
    (out / f"importtime-{label}.txt").write_text(proc.stderr)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        head, cumulative_us, name = line.split("|", 2)
        self_us = head.split(":", 1)[1]
        rows.append((int(cumulative_us), int(self_us), name.strip()))
    rows.sort(reverse=True)
    total = sum(s for _, s, _ in rows)
    lines = [f"imports of `zr {' '.join(argv_tail)}`: {len(rows)} modules, "
             f"{total / 1000:.1f} ms self time in total",
             "cumulative ms  self ms  module"]
    lines += [f"{c / 1000:13.2f}  {s / 1000:7.2f}  {n}" for c, s, n in rows[:top]]
    return "\n".join(lines)


def cprofile_run(zr_python: str, zr_script: str, argv_tail: list, cwd: Path, env: dict,
                 out: Path, label: str, top: int = 30) -> str:
    """cProfile of ``zr ARGS``; writes the top functions to a text file and returns them."""
    prof = out / f"cprofile-{label}.prof"
    # Twice, keeping the second: under cProfile sys.path has one more entry, which
    # zr's plugin index counts as another environment and rebuilds for once.
    for _ in range(2):
        subprocess.run([zr_python, "-m", "cProfile", "-o", str(prof), zr_script, *argv_tail],
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
