"""bench/wasm_hooks.py in its quick mode: it runs and reports every number
(no timing is asserted)."""

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench" / "wasm_hooks.py"


def test_the_wasm_benchmark_runs(tmp_path):
    out = tmp_path / "wasm_hooks.json"
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    for key in ("plain_s", "cold_s", "warm_s", "plain_cpu_s", "warm_cpu_s",
                "in_process_us_per_call"):
        assert result[key] > 0, key
    assert "added_cpu_ms_per_call_warm" in result and "load_average" in result
    assert "added per hook call" in proc.stdout
