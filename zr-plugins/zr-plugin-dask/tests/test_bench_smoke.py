"""bench/dask.py keeps working: its quick mode (8 tasks, one run) starts a
scheduler and two workers of its own and reports the ratio and the
per-task overhead."""

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "dask.py"

pytestmark = pytest.mark.services


def test_the_dask_benchmark_runs_in_quick_mode(tmp_path):
    done = subprocess.run([sys.executable, str(BENCH), "--quick", "--out",
                           str(tmp_path / "dask.json")], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 workers vs -j 2 locally" in done.stdout
    assert "overhead per task (no-op tasks, -j 1):" in done.stdout
