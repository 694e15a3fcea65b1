"""Which files a task's ``inputs`` and ``outputs`` globs name.

Globs are relative to the task's ``cwd`` and use shell semantics: ``*`` and
``?`` stay inside one path segment, ``**`` spans any number of directories,
a pattern naming a directory takes every file below it. A pattern starting
with ``!`` removes what earlier patterns added (the last matching pattern
wins, as in ``.gitignore`` and Turborepo). With ``respect_gitignore`` the
``.gitignore`` files from the project root down are honoured too. ``.git``
and zr's own ``.zr`` are never walked.

The tree is walked once, from the literal prefix of each pattern
(``src/**/*.py`` walks only ``src``), so a narrow glob stays cheap in a big
repository.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from zr.api import glob_regex, normalize

# Version-control metadata and zr's own project-local state (.zr).
NEVER_WALKED = frozenset({".git", ".hg", ".svn", ".zr"})
_MAGIC = re.compile(r"[*?\[]")


def literal_prefix(pattern: str) -> str:
    """The directories before the first wildcard: where a walk can start."""
    parts = pattern.split("/")
    literal = []
    for part in parts[:-1]:
        if _MAGIC.search(part):
            break
        literal.append(part)
    else:
        if not _MAGIC.search(parts[-1]):
            literal = parts  # no wildcard at all: the path itself
    return "/".join(literal)


class GitIgnore:
    """The ``.gitignore`` rules that apply under one project root."""

    def __init__(self, root: Path):
        self.root = root
        self._specs: dict = {}

    def _spec_for(self, directory: Path):
        if directory not in self._specs:
            gitignore = directory / ".gitignore"
            spec = None
            if gitignore.is_file():
                import pathspec

                lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                spec = pathspec.GitIgnoreSpec.from_lines(lines)
            self._specs[directory] = spec
        return self._specs[directory]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """True if a ``.gitignore`` between the root and ``path`` excludes it."""
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            return False
        directory = self.root
        for part_count in range(len(relative.parts)):
            spec = self._spec_for(directory)
            if spec is not None:
                below = "/".join(relative.parts[part_count:]) + ("/" if is_dir else "")
                if spec.match_file(below):
                    return True
            directory = directory / relative.parts[part_count]
        return False


class Selection:
    """Files named by a list of globs, and which positive globs named nothing."""

    def __init__(self, files: list, unmatched: list):
        self.files = files
        self.unmatched = unmatched


def select(patterns, cwd: Path, *, project_root: Path | None = None,
           respect_gitignore: bool = False, exclude=()) -> Selection:
    """Expand ``patterns`` under ``cwd`` into sorted posix paths relative to it.

    ``exclude`` are globs removed at the end (the cache removes declared
    outputs from default inputs). Symlinks are listed, never followed.
    """
    cwd = Path(cwd)
    rules = []
    for raw in patterns:
        negated = raw.strip().startswith("!")
        pattern = normalize(raw.strip()[1:] if negated else raw)
        rules.append((negated, pattern, glob_regex(pattern)))
    ignore = GitIgnore(Path(project_root or cwd)) if respect_gitignore else None
    roots = sorted({literal_prefix(p) for negated, p, _ in rules if not negated})
    candidates = _walk(cwd, roots, ignore)
    chosen = []
    matched_patterns = set()
    excluded = [glob_regex(normalize(p)) for p in exclude]
    for path in candidates:
        keep = False
        for negated, pattern, regex in rules:
            if regex.match(path) or pattern == ".":
                keep = not negated
                if not negated:
                    matched_patterns.add(pattern)
        if keep and not any(regex.match(path) for regex in excluded):
            chosen.append(path)
    unmatched = [p for negated, p, _ in rules if not negated and p not in matched_patterns]
    return Selection(sorted(chosen), unmatched)


def _walk(cwd: Path, roots, ignore) -> list:
    """Every file and symlink below the given roots, relative to ``cwd``."""
    found = set()
    walked: list = []
    for root in sorted("" if r == "." else r for r in roots):
        if any(root == w or root.startswith(w + "/") or (w == "" and not root.startswith(".."))
               for w in walked):
            continue  # already inside a walked tree
        walked.append(root)
        start = cwd / root if root else cwd
        if start.is_symlink() or start.is_file():
            found.add(root)
            continue
        for directory, dirnames, filenames in os.walk(start):
            base = Path(directory)
            kept = []
            for name in dirnames:
                child = base / name
                if name in NEVER_WALKED:
                    continue
                if child.is_symlink():
                    filenames.append(name)  # a link to a directory is a leaf
                    continue
                if ignore is not None and ignore.ignored(child, True):
                    continue
                kept.append(name)
            dirnames[:] = kept
            for name in filenames:
                child = base / name
                if ignore is not None and ignore.ignored(child, False):
                    continue
                found.add(Path(os.path.relpath(child, cwd)).as_posix())
    return sorted(found)
