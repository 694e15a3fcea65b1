"""Glob patterns over ``/``-separated relative paths: ``*`` within one
directory, ``**`` across directories, ``?`` one character; a pattern that
names a directory covers everything under it. ``!pattern`` excludes."""

from __future__ import annotations

import re


def glob_regex(pattern: str) -> "re.Pattern":
    out = []
    i = 0
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out).rstrip("/") + "(?:/.*)?$")


class GlobSet:
    """Include and ``!exclude`` patterns; a path matches when an include
    matches and no exclude does."""

    def __init__(self, patterns):
        self.include = [glob_regex(p) for p in patterns if not p.startswith("!")]
        self.exclude = [glob_regex(p[1:]) for p in patterns if p.startswith("!")]

    def matches(self, path: str) -> bool:
        return (any(r.match(path) for r in self.include)
                and not any(r.match(path) for r in self.exclude))
