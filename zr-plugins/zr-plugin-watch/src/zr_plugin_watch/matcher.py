"""Which changed paths are a reason to re-run.

A path counts when it matches a watched pattern and nothing ignores it.
Ignored, in this order: version-control and zr directories, zr's own
cache and state directories when they live inside the project, editor swap
and backup files, ``[watch] ignore``, the tasks' declared ``outputs`` (so a
task writing its build products does not trigger itself), and
``.gitignore`` files from the project root down.

Patterns are globs read like the cache plugin's ``inputs``: relative to a
base directory, ``*`` inside one directory, ``**`` across directories, a
directory name meaning everything below it, ``!`` excluding. They are
anchored (``*.py`` means the base directory's own files; use ``**/*.py``).
"""

from __future__ import annotations

import os

NEVER_WATCHED = frozenset({".git", ".hg", ".svn", ".zr"})
# Files editors write next to the one being saved; never a change of substance.
EDITOR_NOISE = ("*.swp", "*.swx", "*.swo", "*~", ".#*", "#*#", "4913", ".DS_Store")


def _spec(lines):
    import pathspec

    return pathspec.PathSpec.from_lines("gitignore", lines)


def anchored(pattern: str) -> str:
    """A glob as an anchored .gitignore-style line (``!`` kept in front)."""
    negated = pattern.startswith("!")
    body = pattern[1:] if negated else pattern
    body = body[2:] if body.startswith("./") else body
    return ("!" if negated else "") + "/" + body.lstrip("/")


class Rules:
    """Globs relative to one base directory."""

    def __init__(self, base: str, patterns):
        self.base = os.path.realpath(base)
        self.patterns = list(patterns)
        self.spec = _spec(anchored(p) for p in self.patterns)

    def matches(self, path: str, is_dir: bool = False) -> bool:
        relative = os.path.relpath(path, self.base)
        if relative == ".." or relative.startswith(".." + os.sep):
            return False
        relative = relative.replace(os.sep, "/")
        return self.spec.match_file(relative + "/" if is_dir else relative)


class GitIgnores:
    """The ``.gitignore`` files from the project root down, read on demand
    and re-read when one of them changes."""

    def __init__(self, root: str):
        self.root = root
        self._specs: dict = {}

    def forget(self, directory: str) -> None:
        self._specs.pop(directory, None)

    def _spec_of(self, directory: str):
        if directory not in self._specs:
            spec = None
            try:
                with open(os.path.join(directory, ".gitignore"), encoding="utf-8",
                          errors="replace") as handle:
                    spec = _spec_lines(handle.read().splitlines())
            except OSError:
                pass
            self._specs[directory] = spec
        return self._specs[directory]

    def ignores(self, path: str, is_dir: bool = False) -> bool:
        relative = os.path.relpath(path, self.root).replace(os.sep, "/")
        parts = relative.split("/")
        directory = self.root
        for depth in range(len(parts)):
            spec = self._spec_of(directory)
            if spec is not None:
                below = "/".join(parts[depth:])
                if spec.match_file(below + "/" if is_dir and depth < len(parts) else below):
                    return True
            directory = os.path.join(directory, parts[depth])
        return False


def _spec_lines(lines):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


class ChangeFilter:
    """Decides, per changed path, whether it should start a run."""

    def __init__(self, root: str, watched: list, ignored: list, private_dirs=()):
        self.root = os.path.realpath(root)
        self.watched = watched
        self.ignored = ignored
        self.private_dirs = [os.path.realpath(d) + os.sep for d in private_dirs]
        self.noise = _spec(EDITOR_NOISE)
        self.gitignores = GitIgnores(self.root)

    def outside(self, path: str) -> bool:
        return not (path == self.root or path.startswith(self.root + os.sep))

    def skipped_dir(self, path: str) -> bool:
        """Directories never worth descending into (to keep watches few)."""
        name = os.path.basename(path)
        return (name in NEVER_WATCHED or any((path + os.sep).startswith(d)
                                             for d in self.private_dirs)
                or self.gitignores.ignores(path, is_dir=True))

    def relevant(self, path: str, is_dir: bool = False) -> bool:
        if self.outside(path) or path == self.root:
            return False
        relative = os.path.relpath(path, self.root)
        if any(part in NEVER_WATCHED for part in relative.split(os.sep)):
            return False
        if any((path + os.sep).startswith(d) for d in self.private_dirs):
            return False
        if os.path.basename(path) == ".gitignore":
            self.gitignores.forget(os.path.dirname(path))
        if self.noise.match_file(os.path.basename(path)):
            return False
        if any(rules.matches(path, is_dir) for rules in self.ignored):
            return False
        if self.gitignores.ignores(path, is_dir):
            return False
        return any(rules.matches(path, is_dir) for rules in self.watched)
