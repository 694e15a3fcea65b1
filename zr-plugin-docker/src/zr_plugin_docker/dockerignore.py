"""``.dockerignore`` as Docker reads it, so zr hashes exactly what the daemon
would be sent.

Rules (moby's ``patternmatcher``): one pattern a line, ``#`` starts a
comment, surrounding ``/`` are dropped and paths are cleaned; ``*`` and
``?`` stay inside one path element, ``**`` crosses any number of them,
``[...]`` is a class and ``\\`` escapes; ``!`` re-includes. The last
pattern that matches a path wins, and a pattern that matches a directory
matches everything below it.
"""

from __future__ import annotations

import posixpath


def _translate(pattern: str) -> str:
    import re

    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):  # "**/" is zero or more whole elements
                out.append("(?:.*/)?")
                i += 1
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1:end]
                if body.startswith("^") or body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    # A pattern that names a directory also names everything inside it.
    return "^" + "".join(out) + "(?:/.*)?$"


class DockerIgnore:
    """The parsed patterns of one ``.dockerignore``."""

    def __init__(self, text: str = ""):
        self.rules: list = []
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            exclude = not line.startswith("!")
            if not exclude:
                line = line[1:].strip()
            line = posixpath.normpath(line.strip("/")) if line.strip("/") else ""
            if line and line != ".":
                import re  # only for a .dockerignore with patterns

                self.rules.append((re.compile(_translate(line)), exclude))
        self.has_exceptions = any(not exclude for _, exclude in self.rules)

    @classmethod
    def read(cls, context_dir: str) -> "DockerIgnore":
        try:
            with open(posixpath.join(context_dir, ".dockerignore"), encoding="utf-8") as fh:
                return cls(fh.read())
        except FileNotFoundError:
            return cls()

    def excludes(self, relpath: str) -> bool:
        """True when the context does not contain ``relpath`` (POSIX, relative)."""
        excluded = False
        for regex, exclude in self.rules:
            if regex.match(relpath):
                excluded = exclude
        return excluded

    def prunes(self, reldir: str) -> bool:
        """True when nothing under directory ``reldir`` can be in the context
        (it is excluded and no ``!`` pattern could bring a file back)."""
        return not self.has_exceptions and self.excludes(reldir)
