"""Where the history lives: one SQLite file (and its journal) under zr's
state directory. Its own module so that recording a run imports no sqlite3."""

from __future__ import annotations

import os


def database_path() -> str:
    from zr.api import state_dir

    return os.path.join(state_dir(), "history.sqlite3")
