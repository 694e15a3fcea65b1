"""Glob patterns over ``/``-separated relative paths, as zr.toml writes
them (a task's ``inputs``/``outputs``, a workspace's ignore list): ``*``
and ``?`` stay inside one path segment, ``**`` spans any number of
directories, ``[...]`` is a character class, and a pattern naming a
directory also names everything below it. Which patterns include and
which exclude is the caller's rule; this module only translates one
pattern into a regular expression.
"""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=512)
def glob_regex(pattern: str) -> "re.Pattern":
    """Compile a shell glob (with ``**``) into a regex over posix paths."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = pattern.find("]", i + 2)
            if end == -1:
                out.append(re.escape(char))
                i += 1
            else:
                body = pattern[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    # A pattern naming a directory also names everything below it.
    return re.compile("".join(out) + "(?:/.*)?\\Z", re.DOTALL)


def normalize(pattern: str) -> str:
    pattern = pattern.strip().replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or "."
