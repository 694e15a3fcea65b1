"""Which plugin, not installed here, provides a command, section, field,
option or expression name: for the messages of the error path only.

The kernel names no plugin. What the official plugins provide is data, in
``known_plugins.json`` beside this module, generated from the plugins' own
claims by ``scripts/known_plugins.py`` (a test keeps it in sync with what the
installed plugins claim). It ships with the kernel, so a fresh install
without the plugin manager still learns which distribution to install, and
only distributions the official index lists appear in it: a hint never
names a package that no index or PyPI has.

The command a hint gives is the one that works in this environment: the
manager's ``zr plugin install NAME`` where the distribution the data names
as the installer is present, else this interpreter's pip (or ``uv pip``
when the environment has no pip, as uv's venvs have not).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping

# The kinds of names the data records, as ``known_plugins.json`` keys them.
KINDS = ("commands", "sections", "task_fields", "settings", "options", "expr_names")

_data = None


def known() -> dict:
    """The parsed data file (``{}`` if it is missing or unreadable)."""
    global _data
    if _data is None:
        path = os.path.join(os.path.dirname(__file__), "known_plugins.json")
        try:
            with open(path, encoding="utf-8") as fh:
                _data = json.load(fh)
        except (OSError, ValueError):
            _data = {}
    return _data


def provider(kind: str, name: str):
    """The distribution that provides ``name`` of ``kind``, or None.

    Expression names match on their dotted prefix too when one plugin alone
    provides that prefix: ``git.nope`` belongs to whoever provides ``git.*``.
    """
    plugins = known().get("plugins", {})
    for dist, provides in plugins.items():
        if name in provides.get(kind, ()):
            return dist
    if kind == "expr_names" and "." in name:
        head = name.split(".", 1)[0] + "."
        owners = {dist for dist, provides in plugins.items()
                  if any(n.startswith(head) for n in provides.get(kind, ()))}
        if len(owners) == 1:  # `file.*` is shared: no guess
            return owners.pop()
    return None


def _installed(dist: str) -> bool:
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        distribution(dist)
    except PackageNotFoundError:
        return False
    return True


def install_command(dist: str) -> str:
    """The command that installs ``dist`` (one or more names, space-separated)
    into this environment: an official plugin by its short name through the
    manager, anything else by its distribution name."""
    installer = known().get("installer") or {}
    if installer.get("dist") and _installed(installer["dist"]):
        official = dist in known().get("plugins", {})
        return installer["command"].format(short=short_name(dist) if official else dist)
    import shlex
    from importlib.util import find_spec

    python = shlex.quote(sys.executable)
    if find_spec("pip") is None:
        import shutil

        if shutil.which("uv"):
            return f"uv pip install --python {python} {dist}"
    return f"{python} -m pip install {dist}"


def short_name(dist: str) -> str:
    prefix = known().get("prefix", "")
    return dist[len(prefix):] if prefix and dist.startswith(prefix) else dist


def hint(kind: str, name: str):
    """``"zr-plugin-x provides it: install it with `...`"`` for a name of
    ``kind`` that an official plugin provides, or None. A provider that is
    installed but did not load (disabled, broken, refused) is said so
    instead, since installing it again would not help."""
    dist = provider(kind, name)
    if dist is None:
        return None
    if _installed(dist):
        return (f"{dist} provides it and is installed but not loaded (disabled, or it "
                f"failed to load: `zr plugins` says why)")
    return f"{dist} provides it: install it with `{install_command(dist)}`"


class KnownNames(Mapping):
    """``name -> distribution`` for one kind, read from the data on first use
    (the shape of the old hint tables, which :class:`zr.api.TableOf` takes)."""

    def __init__(self, kind: str):
        self.kind = kind

    def _table(self) -> dict:
        return {name: dist for dist, provides in known().get("plugins", {}).items()
                for name in provides.get(self.kind, ())}

    def __getitem__(self, name):
        return self._table()[name]

    def __iter__(self):
        return iter(self._table())

    def __len__(self):
        return len(self._table())
