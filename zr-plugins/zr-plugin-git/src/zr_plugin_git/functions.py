"""The expression functions, as the condition language calls them:
``func(ctx, *args)`` with the evaluation context (``ctx.cwd`` is the
task's working directory, where the repository is looked up)."""

from __future__ import annotations

import os

from zr.errors import ZrError

from . import repo


def branch(ctx) -> str:
    return repo.branch(repo.toplevel(ctx.cwd))


def commit(ctx) -> str:
    return repo.commit(repo.toplevel(ctx.cwd))


def dirty(ctx) -> bool:
    return bool(repo.status_entries(repo.toplevel(ctx.cwd)))


def file_changed(ctx, *patterns) -> bool:
    """True if a changed file matches one of the globs.

    Globs are relative to the task's cwd, with ``*`` inside one directory,
    ``**`` across directories, and a directory name meaning everything
    below it (the cache plugin's ``inputs`` read the same way). Files
    outside the cwd never match.
    """
    if not patterns or not all(isinstance(p, str) and p for p in patterns):
        raise ZrError("expected one or more globs, e.g. file.changed('src/**/*.py')")
    root = repo.toplevel(ctx.cwd)
    spec = _spec(patterns)
    base = os.path.realpath(ctx.cwd)  # git reports the toplevel with links resolved
    for path in repo.changed_files(root):
        relative = os.path.relpath(path, base)
        if relative.startswith(".." + os.sep) or relative == "..":
            continue
        if spec.match_file(relative.replace(os.sep, "/")):
            return True
    return False


def _spec(patterns):
    """Globs as anchored .gitignore patterns: ``src/*.py`` must not match
    ``lib/src/a.py``, and ``*.py`` means the cwd's own files only, as a
    shell glob would."""
    import pathspec

    lines = []
    for pattern in patterns:
        negated = pattern.startswith("!")
        body = pattern[1:] if negated else pattern
        body = body[2:] if body.startswith("./") else body
        lines.append(("!" if negated else "") + "/" + body.lstrip("/"))
    return pathspec.PathSpec.from_lines("gitignore", lines)
