"""bench/monitor.py in its quick mode runs end to end and writes its numbers
(no timing is asserted: the benchmark reports ratios, the test only that it
measures what it says)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_quick_monitor_benchmark_compares_both_modes(tmp_path):
    out = tmp_path / "monitor.json"
    zr = Path(sys.executable).parent / "zr"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "monitor.py"), "--quick",
                           "--zr", str(zr), "--workdir", str(tmp_path / "work"),
                           "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text())
    assert result["size"] == 100
    for mode in ("monitor", "plain"):
        assert len(result["runs"][mode]["wall"]) == 3
        assert len(result["runs"][mode]["cpu"]) == 3
        assert all(seconds > 0 for seconds in result["runs"][mode]["cpu"])
    assert set(result["ratios"]) == {"wall", "cpu"}
    assert all(ratio > 0 for ratio in result["ratios"].values())
    assert "--monitor" in done.stdout and "load average" in done.stdout
