"""bench/workspace.py --quick runs and writes its results (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_quick_bench(tmp_path):
    proc = subprocess.run([sys.executable, str(REPO / "bench" / "workspace.py"), "--quick",
                           "--workdir", str(tmp_path)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads((tmp_path / "results-quick.json").read_text())
    assert [row["scenario"] for row in payload["rows"]] == ["plan-50", "affected-50"]
    assert all(row["seconds"]["zr"] > 0 for row in payload["rows"])
