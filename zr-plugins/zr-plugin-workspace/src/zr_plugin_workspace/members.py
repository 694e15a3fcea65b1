"""Where a workspace's members come from: the one function that lists them.

:func:`member_dirs` is the only source of member directories. It reads
``[workspace] members``/``exclude`` (directory globs, relative to the root
``zr.toml``) and adds the directories other plugins return from the
plugin-owned hook ``zr_workspace_members(config)`` (see :mod:`.hookspecs`),
so a synthetic source (a multi-repo checkout assembled by
``zr workspace sync``) plugs in without changing how members are loaded.
"""

from __future__ import annotations

import glob
import os
from fnmatch import fnmatchcase

# Directories that are never members, whatever a glob matches.
SKIPPED_PARTS = frozenset({"node_modules", ".git", ".zr"})


def member_dirs(config) -> list:
    """``(absolute directory, origin)`` of every member, without duplicates,
    in path order. ``origin`` says where the member was declared (for
    errors): ``"workspace.members"`` or the name of a plugin."""
    spec = config.doc.get("workspace") or {}
    root = config.root
    found: dict = {}
    for pattern in spec.get("members", ()):
        for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
            if os.path.isdir(path) and not _skipped(path, root):
                found.setdefault(os.path.normpath(path), "workspace.members")
    for directories in config.plugins.call("zr_workspace_members", config=config):
        for path in directories or ():
            found.setdefault(os.path.normpath(os.path.join(root, os.fspath(path))),
                             "zr_workspace_members")
    excluded = spec.get("exclude", ())
    result = []
    for path in sorted(found):
        rel = relpath(path, root)
        if path == root or any(fnmatchcase(rel, pattern.rstrip("/")) for pattern in excluded):
            continue
        result.append((path, found[path]))
    return result


def relpath(path: str, root: str) -> str:
    """``path`` relative to ``root``, with ``/`` separators."""
    return os.path.relpath(path, root).replace(os.sep, "/")


def _skipped(path: str, root: str) -> bool:
    return any(part in SKIPPED_PARTS for part in relpath(path, root).split("/"))
