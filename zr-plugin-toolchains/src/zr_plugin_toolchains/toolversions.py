"""asdf's ``.tool-versions``: ``tool version [fallback ...]`` per line.

zr uses the first version of each line; ``system`` (leave the tool to the
machine) means zr does not manage it. ``ref:`` and ``path:`` versions and
lines without a version are errors with the line number, as is a version
that is not a valid spec. Tools zr has no provider for are ignored: the
file is shared with asdf and mise, which manage more tools.
"""

from __future__ import annotations

import os

from zr.api import ConfigError

from .versions import SpecError, parse_spec

FILENAME = ".tool-versions"


def read_tool_versions(root: str) -> list:
    """``[(name, spec, line number)]`` from ``root/.tool-versions`` (none: [])."""
    path = os.path.join(root, FILENAME)
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read it: {exc}", file=FILENAME) from None
    return parse_tool_versions(text)


def parse_tool_versions(text: str) -> list:
    found = []
    seen: dict = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        name = words[0]
        if len(words) < 2:
            raise ConfigError(f"'{name}' has no version; expected `tool version` "
                              "(e.g. `nodejs 20.11.1`)", file=FILENAME, line=number)
        if name in seen:
            raise ConfigError(f"'{name}' is listed twice (also on line {seen[name]})",
                              file=FILENAME, line=number)
        seen[name] = number
        version = words[1]
        if version == "system":
            continue
        if version.startswith(("ref:", "path:")):
            raise ConfigError(f"{name} {version}: zr installs released versions only; "
                              "ref: and path: versions are not supported", file=FILENAME,
                              line=number)
        try:
            parse_spec(version)
        except SpecError as exc:
            raise ConfigError(f"{name}: {exc}", file=FILENAME, line=number) from None
        found.append((name, version, number))
    return found
