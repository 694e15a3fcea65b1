"""bench/toolchains.py runs (quick mode) and reports every comparison."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.services
REPO = Path(__file__).resolve().parents[2]


def test_toolchains_bench_quick(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(REPO / "bench" / "toolchains.py"), "--quick",
                           "--json", str(out)], capture_output=True, text=True, timeout=900)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "toolchain cost in a zr run" in done.stdout
    assert "mise exec cost over node itself" in done.stdout, done.stdout
    numbers = json.loads(out.read_text())
    assert numbers["runs"] == 5 and "zr_toolchain_added_seconds" in numbers
