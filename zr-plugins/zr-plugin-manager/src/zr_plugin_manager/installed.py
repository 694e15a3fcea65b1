"""What is installed in zr's environment: versions, origins, zr-core needs.

Read with ``importlib.metadata`` from the running interpreter, which is the
environment ``zr plugin install`` changes. A snapshot before and after an
install tells which distributions the installer added or replaced, so a
failed install can be undone precisely.
"""

from __future__ import annotations

import json
import os

from .names import normalize

ENTRY_POINT_GROUP = "zr"


class Origin:
    """Where a distribution was installed from (PEP 610 ``direct_url.json``).

    ``kind`` is ``index`` (PyPI or another package index), ``path`` (a
    local directory or file, ``editable`` when linked), ``git`` or ``url``.
    ``spec`` is what would install the same thing again.
    """

    def __init__(self, kind: str, spec: str, description: str, editable: bool = False):
        self.kind = kind
        self.spec = spec
        self.description = description
        self.editable = editable

    def to_dict(self) -> dict:
        return {"kind": self.kind, "spec": self.spec, "description": self.description,
                "editable": self.editable}


def origin_of(name: str, version: str, direct_url: str | None) -> Origin:
    if not direct_url:
        return Origin("index", f"{name}=={version}", "package index (PyPI)")
    try:
        data = json.loads(direct_url)
        url = data["url"]
    except (ValueError, KeyError, TypeError):
        return Origin("index", f"{name}=={version}", "package index (PyPI)")
    vcs = data.get("vcs_info")
    if vcs:
        revision = vcs.get("requested_revision")
        commit = vcs.get("commit_id", "")
        spec = f"{vcs.get('vcs', 'git')}+{url}" + (f"@{revision}" if revision else "")
        pinned = f" (commit {commit[:12]})" if commit else ""
        return Origin("git", spec, f"{spec}{pinned}")
    editable = bool(data.get("dir_info", {}).get("editable"))
    if url.startswith("file://"):
        from urllib.request import url2pathname

        path = url2pathname(url[len("file://"):])
        label = "editable path" if editable else "path"
        return Origin("path", path, f"{label} {path}", editable)
    return Origin("url", url, url)


class InstalledDistribution:
    """One installed distribution, with what zr needs to know about it."""

    def __init__(self, dist):
        self._dist = dist
        self.name = normalize(dist.metadata["Name"] or "")
        self.display_name = dist.metadata["Name"] or self.name
        self.version = dist.version
        self.summary = dist.metadata["Summary"] or ""
        self.homepage = _homepage(dist.metadata)
        # The dist-info directory (a private attribute, but present in every
        # importlib.metadata since 3.8; without it a reinstall of the same
        # version goes unnoticed, which only weakens rollback).
        path = getattr(dist, "_path", None)
        try:
            st = os.stat(path) if path else None
        except OSError:
            st = None
        # Reinstalling the same version rewrites the dist-info directory.
        self.stamp = (self.version, st.st_ino if st else None, st.st_mtime_ns if st else None)
        self.plugins = sorted(ep.name for ep in dist.entry_points
                              if ep.group == ENTRY_POINT_GROUP)

    @property
    def origin(self) -> Origin:
        return origin_of(self.name, self.version, self._dist.read_text("direct_url.json"))

    @property
    def requires_zr(self) -> str | None:
        """The zr-core version range this distribution declares ("" = any
        version; None = it does not depend on zr-core at all)."""
        from packaging.requirements import InvalidRequirement, Requirement

        for line in self._dist.requires or ():
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue
            if normalize(requirement.name) != "zr-core":
                continue
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            return specifier_text(requirement.specifier)
        return None


    def required_names(self) -> list:
        """Normalized names of the distributions this one requires (extras
        and markers that do not apply here left out)."""
        from packaging.requirements import InvalidRequirement, Requirement

        names = []
        for line in self._dist.requires or ():
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue
            if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
                continue
            names.append(normalize(requirement.name))
        return names


def specifier_text(specifier) -> str:
    """``>=0.1,<0.2`` (lower bounds first, as people write ranges)."""
    return ",".join(sorted((str(s) for s in specifier),
                           key=lambda s: (not s.startswith(">"), s)))


def _homepage(metadata) -> str:
    if metadata["Home-page"]:
        return metadata["Home-page"]
    for entry in metadata.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository"):
            return url.strip()
    return ""


def snapshot() -> dict:
    """``{normalized name: InstalledDistribution}`` of the environment now."""
    import importlib
    from importlib.metadata import distributions

    importlib.invalidate_caches()  # see what an installer subprocess just changed
    found: dict = {}
    for dist in distributions():
        if not dist.metadata["Name"]:
            continue
        item = InstalledDistribution(dist)
        found.setdefault(item.name, item)  # the first on sys.path is the one imported
    return found


def changed(before: dict, after: dict) -> list:
    """Names of distributions added or replaced between two snapshots."""
    return sorted(name for name, item in after.items()
                  if name not in before or before[name].stamp != item.stamp)


def compatibility(requires_zr: str | None) -> tuple:
    """``(ok, explanation)`` of a zr-core range against the running zr."""
    from zr import __version__

    if not requires_zr:
        return True, f"any zr-core (this zr is {__version__})"
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        ok = SpecifierSet(requires_zr).contains(__version__, prereleases=True)
    except InvalidSpecifier:
        return False, f"an unreadable zr-core range '{requires_zr}'"
    verdict = "compatible with" if ok else "INCOMPATIBLE with"
    return ok, f"zr-core {requires_zr} ({verdict} this zr {__version__})"
