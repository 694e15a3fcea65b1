"""``zr-repos.toml``: find it, check it, and turn it into :class:`Manifest`.

The file is checked with the kernel's config kinds (``zr.api.kinds``),
so a mistake reads like one in ``zr.toml``: ``zr-repos.toml:9:
repos.api.deps: unknown repo 'cor' (did you mean 'core'?)``, exit 2.
Beyond the shapes: every dependency names a declared repo, no two repos
share a path, and the dependencies have no cycle (reported with its path).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from zr.api import (ConfigError, FieldError, did_you_mean, display_path, find_line, kinds,
                    parse_toml, read_text)

MANIFEST_NAME = "zr-repos.toml"

_REPO = kinds.table("repo", {
    "url": kinds.STRING,
    "branch": kinds.STRING,
    "rev": kinds.STRING,
    "path": kinds.STRING,
    "tags": kinds.STRING_ARRAY,
    "deps": kinds.STRING_ARRAY,
    "description": kinds.STRING,
}, required=("url",))

_WORKSPACE = kinds.table("workspace", {"name": kinds.STRING, "root": kinds.STRING})


def _repos(value) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"expected a table of [repos.NAME] tables, got {kinds.show(value)}")
    out = {}
    for name, spec in value.items():
        try:
            out[name] = _REPO.check(spec)
        except FieldError as exc:
            raise FieldError([name] + exc.path, str(exc)) from None
        except ValueError as exc:
            raise FieldError([name], str(exc)) from None
    return out


_DOCUMENT = kinds.table("zr-repos.toml", {"workspace": _WORKSPACE, "repos": _repos})


@dataclass(frozen=True)
class Repo:
    """One repository of the manifest; ``directory`` is its absolute checkout path."""

    name: str
    url: str
    directory: str
    path: str
    branch: str | None = None
    rev: str | None = None
    tags: tuple = ()
    deps: tuple = ()
    description: str = ""


@dataclass
class Manifest:
    """The whole file: workspace name and root, repos in file order."""

    path: str
    name: str
    root: str
    repos: dict = field(default_factory=dict)

    @property
    def display_path(self) -> str:
        return display_path(self.path)


def find_manifest(explicit: str | None = None, start: str | None = None) -> str:
    """The ``zr-repos.toml`` to use: ``explicit``, or the nearest one upwards."""
    if explicit:
        path = os.path.abspath(explicit)
        if not os.path.isfile(path):
            raise ConfigError(f"file not found: {explicit}")
        return path
    origin = os.path.abspath(start or os.getcwd())
    directory = origin
    while True:
        candidate = os.path.join(directory, MANIFEST_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            raise ConfigError(f"no {MANIFEST_NAME} found in {origin} or any parent directory; "
                              f"write one (see docs/repos.md) or pass --manifest PATH")
        directory = parent


def load_manifest(explicit: str | None = None, start: str | None = None) -> Manifest:
    """Find, parse and check the manifest; every problem is a :class:`ConfigError`."""
    path = find_manifest(explicit, start)
    shown = display_path(path)
    text = read_text(path, shown)
    raw = parse_toml(text, shown)

    def error(message: str, key_path: list) -> ConfigError:
        key = ".".join(str(part) for part in key_path) or None
        return ConfigError(message, file=shown, line=find_line(text, key_path), key=key)

    try:
        doc = _DOCUMENT.check(raw)
    except FieldError as exc:
        raise error(str(exc), exc.path) from None
    except ValueError as exc:
        raise error(str(exc), []) from None
    base = os.path.dirname(path)
    workspace = doc.get("workspace", {})
    root = os.path.normpath(os.path.join(base, workspace.get("root", ".")))
    repos = {name: _repo(name, spec, root, base, error)
             for name, spec in doc.get("repos", {}).items()}
    _check_deps(repos, error)
    _check_paths(repos, error)
    _check_cycles(repos, error)
    return Manifest(path, workspace.get("name", os.path.basename(base)), root, repos)


def _repo(name: str, spec: dict, root: str, base: str, error) -> Repo:
    if "branch" in spec and "rev" in spec:
        raise error("set branch or rev, not both", ["repos", name, "rev"])
    path = spec.get("path", name)
    if os.path.isabs(path) or os.path.normpath(path) in (".", ""):
        raise error(f"expected a path inside the workspace root, got \"{path}\"",
                    ["repos", name, "path"])
    return Repo(
        name=name, url=_resolve_url(_expand_env(spec["url"], ["repos", name, "url"], error), base),
        directory=os.path.normpath(os.path.join(root, path)), path=os.path.normpath(path),
        branch=spec.get("branch"), rev=spec.get("rev"), tags=tuple(spec.get("tags", ())),
        deps=tuple(spec.get("deps", ())), description=spec.get("description", ""))


def _expand_env(url: str, key_path: list, error) -> str:
    """``${NAME}`` in a URL is the environment variable NAME, so a token can
    stay out of the file (``https://ci:${GIT_TOKEN}@host/x.git``)."""
    import re

    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise error(f"${{{name}}} is not set in the environment", key_path)
        return os.environ[name]

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", value, url) if "${" in url else url


def _resolve_url(url: str, base: str) -> str:
    """A relative local path (``../mirrors/core.git``) is relative to the manifest."""
    if url.startswith(("./", "../")):
        return os.path.normpath(os.path.join(base, url))
    return url


def _check_deps(repos: dict, error) -> None:
    for repo in repos.values():
        for index, dep in enumerate(repo.deps):
            if dep == repo.name:
                raise error(f"'{repo.name}' depends on itself", ["repos", repo.name, "deps"])
            if dep not in repos:
                raise error(f"unknown repo '{dep}'{did_you_mean(dep, repos)}",
                            ["repos", repo.name, "deps"])


def _check_paths(repos: dict, error) -> None:
    owners: dict = {}
    for repo in repos.values():
        other = owners.setdefault(repo.directory, repo.name)
        if other != repo.name:
            raise error(f"'{repo.name}' and '{other}' are both checked out at \"{repo.path}\"",
                        ["repos", repo.name, "path"])


def _check_cycles(repos: dict, error) -> None:
    from zr.api import find_cycle

    cycle = find_cycle({name: repo.deps for name, repo in repos.items()})
    if cycle:
        raise error(f"dependency cycle: {' -> '.join(cycle)}", ["repos", cycle[0], "deps"])
