"""Glob patterns over ``/``-separated relative paths: ``*`` within one
directory, ``**`` across directories, ``?`` one character; a pattern that
names a directory covers everything under it (the kernel's
``glob_regex``). ``!pattern`` excludes."""

from __future__ import annotations

from zr.api import glob_regex, normalize


class GlobSet:
    """Include and ``!exclude`` patterns; a path matches when an include
    matches and no exclude does."""

    def __init__(self, patterns):
        self.include = [glob_regex(normalize(p)) for p in patterns if not p.startswith("!")]
        self.exclude = [glob_regex(normalize(p[1:])) for p in patterns if p.startswith("!")]

    def matches(self, path: str) -> bool:
        return (any(r.match(path) for r in self.include)
                and not any(r.match(path) for r in self.exclude))
