"""Where the server programs live, and a clear failure when one is not installed.

scripts/install-test-services.sh puts them in three places: Python console
scripts in the venv running the tests, npm programs in the repo's
`.services/node_modules/.bin`, Debian programs in /usr/sbin.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from pathlib import Path
from typing import Iterable

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_BIN_DIR = REPO_ROOT / ".services" / "node_modules" / ".bin"
INSTALL_HINT = "install it with scripts/install-test-services.sh"


def _first_existing(candidates: Iterable[Path]) -> Path | None:
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def _missing(name: str, looked_in: Iterable[object]) -> None:
    places = ", ".join(str(place) for place in looked_in)
    pytest.fail(f"{name} is not installed (looked in {places}); {INSTALL_HINT}", pytrace=False)


def python_script(name: str) -> Path:
    """A console script of the venv that runs the tests (moto_server, ...)."""
    directories = [Path(sysconfig.get_path("scripts")), Path(sys.executable).parent]
    found = _first_existing(directory / name for directory in directories)
    if found is None:
        _missing(name, directories)
    return found


def node_script(name: str) -> Path:
    """An npm program installed into .services (azurite-blob, ...)."""
    found = _first_existing([NODE_BIN_DIR / name])
    if found is None:
        _missing(name, [NODE_BIN_DIR])
    return found


def system_program(name: str) -> Path:
    """A program from the system's packages, looked up on PATH and in /usr/sbin."""
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    found = _first_existing([Path("/usr/sbin") / name])
    if found is None:
        _missing(name, ["PATH", "/usr/sbin"])
    return found
