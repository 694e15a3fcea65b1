"""Where one toolchain's index and archives come from: upstream or a mirror.

A mirror keeps upstream's paths under another base URL (any static server,
a bucket, or a directory: ``zr tools mirror`` fills one). Which base, first
match wins: ``ZR_MIRROR_<TOOL>``, ``[tools.mirrors] <tool>``, the variable
the toolchain's own ecosystem already uses (``NODEJS_ORG_MIRROR``,
``RUSTUP_DIST_SERVER``, ``UV_PYTHON_INSTALL_MIRROR``), then upstream.
Absolute URLs inside an index (zig's tarballs, Adoptium's links) that point
upstream are rewritten to the mirror, as rustup does.

Index documents are cached (``ZR_TOOLS_INDEX_TTL`` seconds, default an
hour); when the index cannot be fetched, a cached copy of any age is used
with a warning.
"""

from __future__ import annotations

import os
import time

from . import net


def _as_url(location: str) -> str:
    if "://" in location:
        return location.rstrip("/")
    return "file://" + os.path.abspath(location).rstrip("/")


def mirror_for(provider, mirrors: dict) -> tuple:
    """``(base URL, where it was configured)`` of a mirror, or ``(None, None)``."""
    env_name = f"ZR_MIRROR_{provider.name.upper()}"
    if os.environ.get(env_name):
        return _as_url(os.environ[env_name]), env_name
    for name in (provider.name, *provider.aliases):
        if mirrors.get(name):
            return _as_url(mirrors[name]), f"[tools.mirrors] {name}"
    for env_name in provider.mirror_env:
        if os.environ.get(env_name):
            return _as_url(os.environ[env_name]), env_name
    return None, None


def index_cache_dir() -> str:
    from zr.api import cache_dir

    return os.path.join(cache_dir(), "toolchains", "index")


def index_ttl() -> float:
    try:
        return float(os.environ.get("ZR_TOOLS_INDEX_TTL", "") or 3600)
    except ValueError:
        return 3600.0


class Remote:
    def __init__(self, provider, mirrors: dict | None = None, warn=None):
        self.provider = provider
        self.mirror, self.mirror_source = mirror_for(provider, mirrors or {})
        self.base = self.mirror or provider.upstream
        self.warn = warn or (lambda message: None)
        self.documents: dict = {}  # url -> body of every index document read

    def index_url(self, spec=None) -> str:
        path = self.provider.index_for(spec)
        if path is not None:
            return f"{self.base}/{path}"
        if self.mirror:
            return f"{self.mirror}/{self.provider.mirror_index}"
        return self.provider.index_url

    def rewrite(self, url: str) -> str:
        """``url`` with an upstream prefix replaced by the mirror's base."""
        if not self.mirror or url.startswith(self.mirror):
            return url
        for prefix in (self.provider.upstream, *self.provider.rewrites):
            if prefix and url.startswith(prefix):
                return self.mirror + url[len(prefix):]
        return url

    def releases(self, spec=None) -> list:
        """The index's releases (cached; stale cache when unreachable)."""
        return self.provider.parse_index(self.document(self.index_url(spec)))

    def document(self, url: str) -> bytes:
        self.documents[url] = body = self._document(url)
        return body

    def _document(self, url: str) -> bytes:
        import hashlib

        key = hashlib.sha256(url.encode()).hexdigest()[:16]
        path = os.path.join(index_cache_dir(), f"{self.provider.name}-{key}")
        try:
            age = time.time() - os.stat(path).st_mtime
        except OSError:
            age = None
        if age is not None and age < index_ttl():
            with open(path, "rb") as fh:
                return fh.read()
        try:
            body = net.fetch(url)
        except net.FetchError as exc:
            if age is None or (exc.status is not None and exc.status < 500):
                raise
            stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(time.time() - age))
            self.warn(f"cannot fetch the {self.provider.name} index ({exc}); using the copy "
                      f"cached at {stamp}")
            with open(path, "rb") as fh:
                return fh.read()
        from zr.api import atomic_write

        atomic_write(path, body)
        return body

    def relative_path(self, url: str) -> str | None:
        """Where ``url`` lives under a mirror's base (query dropped), or None."""
        url = url.split("?", 1)[0]
        if url == self.provider.index_url.split("?", 1)[0]:
            return self.provider.mirror_index
        for prefix in (self.base, self.provider.upstream, *self.provider.rewrites):
            if prefix and url.startswith(prefix + "/"):
                return url[len(prefix) + 1:]
        return None

    def checksum(self, artifact) -> str | None:
        """The official SHA-256 of ``artifact`` from its checksum file."""
        from .checksums import find_sha256

        if not artifact.checksum_url:
            return None
        text = net.fetch(self.rewrite(artifact.checksum_url)).decode(errors="replace")
        return find_sha256(text, artifact.checksum_name)

