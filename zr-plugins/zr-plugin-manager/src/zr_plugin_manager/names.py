"""Plugin names, distribution names and what a user's install argument means.

A plugin is known by two names: its entry-point name (``docker``, what
``zr plugins`` shows) and its distribution (``zr-plugin-docker``, what pip
installs). Users may type either; by convention the distribution is the
plugin name prefixed with ``zr-plugin-``.
"""

from __future__ import annotations

import os
import re

PREFIX = "zr-plugin-"
_NORMALIZE = re.compile(r"[-_.]+")


def normalize(name: str) -> str:
    """The PEP 503 form of a distribution name, for comparisons."""
    return _NORMALIZE.sub("-", name).lower()


def distribution_name(name: str) -> str:
    """``docker`` -> ``zr-plugin-docker``; names already starting with ``zr-``
    (``zr-plugin-docker``, ``zr-core``) are kept as they are."""
    normal = normalize(name)
    return normal if normal.startswith("zr-") else PREFIX + normal


def short_name(distribution: str) -> str:
    """``zr-plugin-docker`` -> ``docker`` (the plugin's usual entry-point name)."""
    normal = normalize(distribution)
    return normal[len(PREFIX):] if normal.startswith(PREFIX) else normal


class InstallArgument:
    """One argument of ``zr plugin install``, classified.

    ``kind`` is ``"requirement"`` (a name with an optional version
    specifier, from the package index), ``"path"`` (a local directory or
    wheel/sdist file) or ``"url"`` (``git+https://...@ref``, an archive URL).
    ``target`` is what the installer gets; ``distribution`` the distribution
    it should produce, when that can be known before installing.
    """

    def __init__(self, given: str, kind: str, target: str, distribution: str | None,
                 specifier: str = "", name: str = ""):
        self.given = given
        self.name = name or distribution or given
        self.kind = kind
        self.target = target
        self.distribution = distribution
        self.specifier = specifier

    def __repr__(self) -> str:
        return f"InstallArgument({self.kind}: {self.target})"


def classify(given: str) -> InstallArgument:
    """What ``given`` is: a URL, a local path or a requirement."""
    from zr.errors import UsageError

    text = given.strip()
    if "://" in text or text.startswith("git+"):
        return InstallArgument(given, "url", text, None)
    if os.sep in text or text.startswith(".") or _is_project(text):
        path = os.path.abspath(os.path.expanduser(text))
        if not os.path.exists(path):
            raise UsageError(f"'{given}' looks like a path but does not exist")
        return InstallArgument(given, "path", path, project_name(path))
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement as exc:
        raise UsageError(f"'{given}' is neither a plugin name (docker, zr-plugin-docker, "
                         f"'zr-plugin-docker>=1.2'), a path nor a URL: {exc}") from None
    if requirement.url:
        return InstallArgument(given, "url", requirement.url, normalize(requirement.name))
    dist = distribution_name(requirement.name)
    extras = f"[{','.join(sorted(requirement.extras))}]" if requirement.extras else ""
    specifier = str(requirement.specifier)
    return InstallArgument(given, "requirement", f"{dist}{extras}{specifier}", dist, specifier,
                           requirement.name)


def _is_project(path: str) -> bool:
    """An existing directory or archive pip can install (so that a folder
    that merely shares a plugin's name does not shadow it)."""
    if os.path.isdir(path):
        return any(os.path.exists(os.path.join(path, f)) for f in ("pyproject.toml", "setup.py"))
    return os.path.isfile(path) and path.endswith((".whl", ".tar.gz", ".zip"))


def project_name(path: str) -> str | None:
    """The distribution a local project directory or wheel builds, if readable."""
    if os.path.isfile(path):
        base = os.path.basename(path)
        if base.endswith(".whl") or base.endswith(".tar.gz"):
            return normalize(base.split("-")[0])
        return None
    pyproject = os.path.join(path, "pyproject.toml")
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib
    try:
        with open(pyproject, "rb") as fh:
            name = tomllib.load(fh).get("project", {}).get("name")
    except (OSError, ValueError):
        return None
    return normalize(name) if isinstance(name, str) else None
