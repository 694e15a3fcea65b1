"""Repo-wide pytest setup: the real-server fixtures of tests/servers/ for every
test directory, and the cross-version subset.

The test command runs the whole suite on one Python and the tests marked
``crossversion`` on every other Python that ``requires-python`` admits
(scripts/test). Every plugin's own tests belong to that subset, so they are
marked here by where they live; kernel tests of the process and signal paths
mark themselves.
"""

import sys
from pathlib import Path

import pytest

# With --import-mode=importlib pytest leaves sys.path alone, so make the repo
# root importable for the `tests.servers` plugin.
_repo_root = Path(__file__).resolve().parent
if str(_repo_root) not in sys.path:
    sys.path.insert(0, str(_repo_root))

pytest_plugins = ["tests.servers"]


def _is_plugin_test(path: Path) -> bool:
    """``zr-plugins/<dist>/tests/...`` or ``zr-plugin-<name>/tests/...``."""
    try:
        parts = path.resolve().relative_to(_repo_root).parts
    except ValueError:
        return False
    if len(parts) > 2 and parts[0] == "zr-plugins" and parts[2] == "tests":
        return True
    return len(parts) > 1 and parts[0].startswith("zr-plugin-") and parts[1] == "tests"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if _is_plugin_test(Path(str(item.path))):
            item.add_marker(pytest.mark.crossversion)
