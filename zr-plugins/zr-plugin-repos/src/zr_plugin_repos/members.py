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


def _state(root: str) -> dict | None:
    """The state file of the synthetic workspace at ``root``, or None when
    ``root`` is not one."""
    state = os.path.join(root, STATE_FILE)
    if not os.path.isfile(state):
        return None
    if os.path.dirname(os.path.realpath(root)) != os.path.realpath(workspaces_dir()):
        return None
    import json

    with open(state, encoding="utf-8") as fh:
        return json.load(fh)


def members_of(root: str) -> list | None:
    """The member directories of the synthetic workspace at ``root``, or None
    when ``root`` is not one."""
    state = _state(root)
    return None if state is None else state["members"]


def repositories_of(root: str) -> dict | None:
    """``{member: checkout}`` of the synthetic workspace at ``root`` (each
    member is a git repository of its own), or None when ``root`` is not one."""
    state = _state(root)
    if state is None:
        return None
    if "repositories" not in state:  # written before checkouts were recorded
        from zr.api import UsageError

        raise UsageError(f"--affected: the synthetic workspace at {root} was written by an "
                         "older zr and does not record its checkouts; run `zr workspace "
                         "sync` again")
    return state["repositories"]
