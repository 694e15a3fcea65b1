"""The member source of synthetic workspaces: the cheap half of :mod:`.synthetic`.

The workspace plugin asks every plugin for extra members each time a project
with ``[workspace]`` loads; this module answers with one stat for every
project that is not a synthetic workspace, importing nothing heavy.
"""

from __future__ import annotations

import os

from zr.api import state_dir

STATE_FILE = ".zr-repos-workspace.json"


def workspaces_dir() -> str:
    """Where ``zr repo workspace sync`` keeps the synthetic workspaces."""
    return os.path.join(state_dir(), "repos")


def members_of(root: str) -> list | None:
    """The member directories of the synthetic workspace at ``root``, or None
    when ``root`` is not one."""
    state = os.path.join(root, STATE_FILE)
    if not os.path.isfile(state):
        return None
    if os.path.dirname(os.path.realpath(root)) != os.path.realpath(workspaces_dir()):
        return None
    import json

    with open(state, encoding="utf-8") as fh:
        return json.load(fh)["members"]
