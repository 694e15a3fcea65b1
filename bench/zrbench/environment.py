"""The bench's own prefix: peers from PyPI in ``bench/work/venv``, turbo from npm in ``bench/work/node``.

Installs are idempotent (a stamp holds what was installed) so a second run
starts at once. Nothing here touches the project's own ``.venv``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
REPO = BENCH.parent
WORK = BENCH / "work"
VENV = WORK / "venv"
NODE = WORK / "node"
REQUIREMENTS = BENCH / "requirements.txt"
TURBO = "turbo@2.11.11"
STAMP = ".bench-installed"
IN_VENV_MARKER = "ZR_BENCH_IN_VENV"


def peer_bin() -> Path:
    return VENV / "bin"


def node_bin() -> Path:
    return NODE / "node_modules" / ".bin"


def default_zr() -> Path:
    return REPO / ".venv" / "bin" / "zr"


def installed(prefix: Path, wanted: str) -> bool:
    stamp = prefix / STAMP
    return stamp.exists() and stamp.read_text() == wanted


def ensure_python_peers(log) -> str:
    """Create bench/work/venv with the pinned peers; returns a problem or ''."""
    wanted = REQUIREMENTS.read_text()
    if installed(VENV, wanted):
        return ""
    log(f"installing peers into {VENV} ...")
    uv = shutil.which("uv") or str(REPO / ".venv" / "bin" / "uv")
    if os.path.exists(uv):
        steps = [[uv, "venv", "-q", "--allow-existing", "--python", sys.executable, str(VENV)],
                 [uv, "pip", "install", "-q", "--compile-bytecode", "--python",
                  str(VENV / "bin" / "python"), "-r", str(REQUIREMENTS)]]
    else:
        steps = [[sys.executable, "-m", "venv", str(VENV)],
                 [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", "-r",
                  str(REQUIREMENTS)]]
    for step in steps:
        out = subprocess.run(step, capture_output=True, text=True)
        if out.returncode != 0:
            return f"installing Python peers failed: {(out.stderr or out.stdout).strip()[-400:]}"
    (VENV / STAMP).write_text(wanted)
    return ""


def ensure_turbo(log) -> str:
    """npm-install turbo into bench/work/node; returns a problem or ''."""
    if installed(NODE, TURBO):
        return ""
    npm = shutil.which("npm")
    if not npm:
        return "npm not found: turbo is not installed"
    log(f"installing {TURBO} into {NODE} ...")
    NODE.mkdir(parents=True, exist_ok=True)
    out = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(NODE), TURBO],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return f"npm install {TURBO} failed: {(out.stderr or out.stdout).strip()[-400:]}"
    (NODE / STAMP).write_text(TURBO)
    return ""


def running_in_bench_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def reexec_in_bench_venv(script: str, argv: list) -> None:
    """Continue under the bench venv's Python, which has psutil and matplotlib."""
    python = VENV / "bin" / "python"
    if running_in_bench_venv() or os.environ.get(IN_VENV_MARKER) or not python.exists():
        return
    env = dict(os.environ, **{IN_VENV_MARKER: "1"})
    os.execve(str(python), [str(python), script, *argv], env)
