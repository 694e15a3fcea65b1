"""``zr.lock``: the versions, URLs and digests zr resolved, beside zr.toml.

Meant to be committed: with it, every checkout resolves ``node = "20"`` to
the same ``20.11.1`` without asking the index, and an archive whose bytes
differ from the recorded digest is refused::

    # zr.lock: toolchain versions zr resolved; commit it. ...
    [tools."node@20"]
    version = "20.11.1"

    [tools."node@20".linux-x86_64]
    url = "https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.gz"
    sha256 = "..."

Written atomically, and only when something changed.
"""

from __future__ import annotations

import json
import os
import re

from zr.api import ConfigError

from zr.api import atomic_write

HEADER = ("# zr.lock: toolchain versions zr resolved for this project; commit it.\n"
          "# zr keeps it up to date; delete an entry to resolve that tool again.\n")


class LockFile:
    def __init__(self, path: str):
        self.path = path
        self.tools: dict = {}
        self.changed = False
        if os.path.exists(path):
            self._read()

    def _read(self) -> None:
        try:
            with open(self.path, encoding="utf-8") as fh:
                text = fh.read()
        except OSError as exc:
            raise ConfigError(f"cannot read it: {exc}; fix or delete it",
                              file=os.path.basename(self.path)) from None
        doc = _parse_written(text)
        if doc is None:  # edited by hand beyond what zr writes: the real parser
            try:
                import tomllib
            except ImportError:  # Python 3.10
                import tomli as tomllib
            try:
                doc = tomllib.loads(text)
            except ValueError as exc:
                raise ConfigError(f"cannot read it: {exc}; fix or delete it",
                                  file=os.path.basename(self.path)) from None
        tools = doc.get("tools", {})
        if not isinstance(tools, dict):
            raise ConfigError("[tools] must be a table", file=os.path.basename(self.path))
        self.tools = tools

    @staticmethod
    def key(tool: str, spec: str) -> str:
        return f"{tool}@{spec}"

    def version(self, tool: str, spec: str) -> str | None:
        entry = self.tools.get(self.key(tool, spec))
        return entry.get("version") if isinstance(entry, dict) else None

    def artifact(self, tool: str, version: str, platform: str) -> dict | None:
        """``{url, sha256}`` recorded for ``tool`` ``version`` on ``platform``."""
        for key, entry in self.tools.items():
            if (key.split("@", 1)[0] == tool and isinstance(entry, dict)
                    and entry.get("version") == version
                    and isinstance(entry.get(platform), dict)):
                return entry[platform]
        return None

    def record(self, tool: str, spec: str, version: str, platform: str,
               url: str | None, sha256: str | None) -> None:
        key = self.key(tool, spec)
        entry = self.tools.get(key)
        if not isinstance(entry, dict) or entry.get("version") != version:
            entry = {"version": version}
        if url and sha256 and entry.get(platform) != {"url": url, "sha256": sha256}:
            entry[platform] = {"url": url, "sha256": sha256}
        if self.tools.get(key) != entry:
            self.tools[key] = entry
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        lines = [HEADER]
        for key in sorted(self.tools):
            entry = self.tools[key]
            lines.append(f"\n[tools.{_q(key)}]\nversion = {_q(entry['version'])}\n")
            for platform in sorted(k for k in entry if isinstance(entry[k], dict)):
                item = entry[platform]
                lines.append(f"\n[tools.{_q(key)}.{_q(platform)}]\n"
                             f"url = {_q(item['url'])}\nsha256 = {_q(item['sha256'])}\n")
        atomic_write(self.path, "".join(lines).encode())
        self.changed = False


_HEADER_LINE = re.compile(r'^\[tools\.("(?:[^"\\]|\\.)*")(?:\.("(?:[^"\\]|\\.)*"))?\]$')
_VALUE_LINE = re.compile(r'^([A-Za-z0-9_-]+) = ("(?:[^"\\]|\\.)*")$')


def _parse_written(text: str) -> dict | None:
    """The lock as :meth:`LockFile.save` writes it, read without importing a
    TOML parser (every run reads it); None for anything else."""
    tools: dict = {}
    table = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        header = _HEADER_LINE.match(line)
        if header:
            entry = tools.setdefault(json.loads(header.group(1)), {})
            table = entry.setdefault(json.loads(header.group(2)), {}) if header.group(2) \
                else entry
            continue
        value = _VALUE_LINE.match(line)
        if value is None or table is None:
            return None
        table[value.group(1)] = json.loads(value.group(2))
    return {"tools": tools}


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(str(text), ensure_ascii=False)
