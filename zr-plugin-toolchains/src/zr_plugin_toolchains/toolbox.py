"""From a requirement (``node@20``) to an installed toolchain dir.

Resolving a spec, first match wins, so that a project that has run once
makes no network request again:

1. ``zr.lock`` has an entry for exactly this tool and spec: its version;
2. an installed version satisfies the spec (not for ``latest``/``lts``,
   whose meaning only the index knows): the newest such;
3. the index: the newest release that matches; none is an error naming
   the nearest versions.

Installing a version recorded in ``zr.lock`` for this platform needs no
index either: the lock has the URL and the digest.
"""

from __future__ import annotations

import os

from zr.api import ZrError

from .errors import NoSuchVersion
from .lockfile import LockFile
from .net import FetchError
from .provider import Artifact, Platform, UnsupportedPlatform
from .remote import Remote
from .store import install_dir, installed_metadata, installed_versions
from .versions import SpecError, nearest, parse_spec


class Resolved:
    """An installed toolchain a task runs with."""

    __slots__ = ("provider", "version", "home", "spec", "platform_key")

    def __init__(self, provider, version: str, home: str, spec: str, platform_key: str):
        self.provider = provider
        self.version = version
        self.home = home
        self.spec = spec
        self.platform_key = platform_key

    @property
    def tool(self) -> str:
        return self.provider.name

    @property
    def bin_dirs(self) -> list:
        return [os.path.join(self.home, d) for d in self.provider.bin_dirs]

    def activation(self) -> dict:
        """What a task needs of this toolchain, as plain data (see :mod:`.activations`)."""
        return {"tool": self.tool, "version": self.version, "platform": self.platform_key,
                "home": self.home, "bin": self.bin_dirs, "env": self.provider.env(self.home)}

    def to_json(self) -> dict:
        return {"tool": self.tool, "spec": self.spec, "version": self.version,
                "home": self.home, "bin": self.bin_dirs, "env": self.provider.env(self.home)}


class Toolbox:
    """Resolves and installs for one project (or none: ``root`` None)."""

    def __init__(self, registry, *, root: str | None = None, mirrors: dict | None = None,
                 report=None, warn=None, progress=None, platform: Platform | None = None,
                 write_lock: bool = True):
        self.registry = registry
        self.mirrors = mirrors or {}
        self.report = report or (lambda message: None)
        self.warn = warn or self.report
        self.platform = platform or Platform()
        self.lock = LockFile(os.path.join(root, "zr.lock")) if root and write_lock else None
        self.progress = progress
        self._remotes: dict = {}
        self._done: dict = {}
        self._chosen: dict = {}

    def remote(self, provider) -> Remote:
        remote = self._remotes.get(provider.name)
        if remote is None:
            remote = self._remotes[provider.name] = Remote(provider, self.mirrors, self.warn)
        return remote

    # -- resolving -------------------------------------------------------

    def ensure(self, requirement) -> Resolved:
        """Resolve and install ``requirement`` (once per toolbox)."""
        key = (requirement.tool, requirement.spec)
        done = self._done.get(key)
        if isinstance(done, Exception):
            raise done
        if done is not None:
            return done
        try:
            done = self._ensure(requirement)
        except ZrError as exc:
            self._done[key] = exc
            raise
        self._done[key] = done
        return done

    def resolve(self, requirement) -> tuple:
        """``(provider, version text, Release or None)`` for ``requirement``,
        without installing (once per toolbox). Raises :class:`NoSuchVersion`
        when nothing matches."""
        key = (requirement.tool, requirement.spec)
        chosen = self._chosen.get(key)
        if chosen is None:
            provider = self.registry.get(requirement.tool)
            try:
                spec = parse_spec(requirement.spec)
            except SpecError as exc:
                raise ZrError(f"{requirement.source}: {exc}") from None
            chosen = self._chosen[key] = (provider, *self.choose(provider, spec, requirement))
        return chosen

    def _ensure(self, requirement) -> Resolved:
        provider, version, release = self.resolve(requirement)
        home = install_dir(provider.name, version)
        if installed_metadata(provider.name, version) is None:
            self._install(provider, version, release, requirement)
        meta = installed_metadata(provider.name, version) or {}
        if self.lock is not None:
            self.lock.record(provider.name, requirement.spec, version, self.platform.key,
                             meta.get("url"), meta.get("sha256"))
        return Resolved(provider, version, home, requirement.spec, self.platform.key)

    def choose(self, provider, spec, requirement) -> tuple:
        """``(version text, Release or None)`` for ``spec``."""
        locked = self.lock.version(provider.name, requirement.spec) if self.lock else None
        if locked:
            return locked, None
        if not spec.is_alias:
            installed = [v for v in installed_versions(provider.name) if spec.matches(v)]
            if installed:
                return max(installed).text, None
        return self.from_index(provider, spec, requirement)

    def from_index(self, provider, spec, requirement) -> tuple:
        """``(version text, Release)``: the newest release in the index matching ``spec``."""
        remote = self.remote(provider)
        try:
            releases = remote.releases(spec)
        except FetchError as exc:
            if exc.status == 404 and not provider.lists_versions:
                # one index per version or channel (rust): none, no such version
                raise NoSuchVersion(f"{provider.name} has no version matching '{spec}' (from "
                                    f"{requirement.source}): {exc}") from None
            raise
        matching = [r for r in releases if spec.matches(r.version, r.lts)]
        if not matching:
            close = ", ".join(v.text for v in nearest(spec, [r.version for r in releases]))
            lts = ""
            if spec.alias == "lts":
                names = sorted({str(r.lts).lower() for r in releases if r.lts
                                and not isinstance(r.lts, bool)})
                lts = f"; LTS codenames in the index: {', '.join(names) or 'none'}"
            raise NoSuchVersion(f"{provider.name} has no version matching '{spec}' "
                          f"(from {requirement.source}; index {remote.index_url(spec)})"
                          + (f"; nearest: {close}" if close else "") + lts)
        best = max(matching, key=lambda r: r.version)
        if best.data is None and provider.index_for(parse_spec(best.version.text)):
            # a pointer to a finer index (java's feature versions): its newest build
            return self.from_index(provider, parse_spec(best.version.text), requirement)
        return best.version.text, best

    def latest(self, provider, spec_text: str = "latest"):
        """The newest release matching ``spec_text`` in the index, or None."""
        spec = parse_spec(spec_text)
        releases = self.remote(provider).releases(spec)
        matching = [r for r in releases if spec.matches(r.version, r.lts)]
        return max(matching, key=lambda r: r.version) if matching else None

    # -- installing ------------------------------------------------------

    def artifact_for(self, provider, version: str, release) -> tuple:
        """``(Artifact, locked sha256 or None)`` to install ``version``."""
        remote = self.remote(provider)
        locked = (self.lock.artifact(provider.name, version, self.platform.key)
                  if self.lock else None)
        if release is None and locked:
            return Artifact(remote.rewrite(locked["url"])), locked["sha256"]
        if release is None:
            release = next((r for r in remote.releases(parse_spec(version))
                            if r.version.text == version), None)
            if release is None:
                raise ZrError(f"{provider.name} {version} (from zr.lock) is not in the index "
                              f"{remote.index_url(parse_spec(version))}")
        try:
            artifact = provider.artifact(release, self.platform, remote.base)
        except UnsupportedPlatform as exc:
            raise ZrError(str(exc)) from None
        artifact.url = remote.rewrite(artifact.url)
        return artifact, (locked or {}).get("sha256")

    def expected_signature(self, provider, requirement, artifact):
        """The :class:`~.signatures.Expected` signature of ``artifact``, or
        None: the toolchain publishes none (and the project trusts no key
        for it), or the project turned signature checks off for it."""
        from .signatures import Expected

        key = requirement.minisign_key or provider.minisign_key
        if not key:
            return None
        if not requirement.verify_signatures:
            self.warn(f"{provider.name}: the signature of {artifact.filename} is not checked "
                      f"(verify_signatures = false in [tools] {provider.name})")
            return None
        origin = (f"the minisign_key of [tools] {provider.name}" if requirement.minisign_key
                  else f"{provider.name}'s published key")
        return Expected(provider.signature_url(artifact.url), key, origin)

    def _install(self, provider, version, release, requirement) -> str:
        artifact, locked_sha = self.artifact_for(provider, version, release)
        remote = self.remote(provider)
        from .install import Installer

        installer = Installer(report=self.report, progress=self.progress)
        return installer.install(
            provider, version, artifact, locked_sha256=locked_sha, verify=requirement.verify,
            fetch_checksum=lambda: remote.checksum(artifact),
            signature=self.expected_signature(provider, requirement, artifact))

    def save(self) -> None:
        if self.lock is not None:
            self.lock.save()

