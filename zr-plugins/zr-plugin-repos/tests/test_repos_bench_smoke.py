"""bench/repos.py in quick mode: it runs, prints its ratios and writes complete
JSON. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "repos.py"


def test_quick_mode_runs_and_reports(tmp_path):
    out = tmp_path / "results.json"
    zr = Path(sys.executable).parent / "zr"
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--workdir", str(tmp_path),
                           "--zr", str(zr), "--json", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "sequential git clone loop" in proc.stdout
    assert "zr repo status of 6" in proc.stdout
    results = json.loads(out.read_text())
    for key in ("sync_zr_s", "sync_git_loop_s", "sync_slowest_clone_s", "status_zr_s",
                "status_git_loop_s"):
        assert results[key] > 0
    assert sorted(p.name for p in (tmp_path / "sync-zr" / "src").iterdir()) == [
        "repo00", "repo01", "repo02", "repo03"]
