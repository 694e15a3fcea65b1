"""bench/terminal.py in its quick mode runs end to end and writes its numbers
(no timing is asserted: the benchmark reports ratios, the test only that it
measures what it says)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_quick_terminal_benchmark_writes_both_scenarios(tmp_path):
    out = tmp_path / "terminal.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "terminal.py"), "--quick",
                           "--workdir", str(tmp_path / "work"), "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = json.loads(out.read_text())["rows"]
    assert set(rows) == {"graph-100", "list"}
    assert len(rows["graph-100"]["runs"]["tty"]) == 3
    assert len(rows["graph-100"]["runs"]["none"]) == 3
    assert all(row["ratio"] > 0 for row in rows.values())
    assert "graph-100" in done.stdout and "list" in done.stdout
