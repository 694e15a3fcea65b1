"""bench/docker.py in quick mode against the test daemon: it runs, prints both
comparisons and writes complete JSON. No timing is asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "docker.py"

pytestmark = pytest.mark.services


def test_quick_mode_runs_and_reports(docker_daemon, tmp_path):
    out = tmp_path / "docker.json"
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--json", str(out)],
                          env={**os.environ, **docker_daemon.env}, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "container task vs docker run" in proc.stdout
    assert "cached image task vs no commands" in proc.stdout
    results = json.loads(out.read_text())
    for key in ("docker_run_s", "zr_container_s", "zr_cached_image_s", "zr_nothing_s"):
        assert results[key] > 0
    assert results["runs"] == 3
