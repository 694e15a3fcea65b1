"""Repo-wide pytest setup: the real-server fixtures of tests/servers/ for every test directory."""

import sys
from pathlib import Path

# With --import-mode=importlib pytest leaves sys.path alone, so make the repo
# root importable for the `tests.servers` plugin.
_repo_root = str(Path(__file__).resolve().parent)
if _repo_root not in sys.path:
    sys.path.insert(0, _repo_root)

pytest_plugins = ["tests.servers"]
