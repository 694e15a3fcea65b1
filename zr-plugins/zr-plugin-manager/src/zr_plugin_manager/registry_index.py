"""Plugin registry indexes: a static JSON document listing plugins.

Anyone can host one (any web server, or a file on a shared drive); the
format is documented in docs/plugins.md. Where it is read from, first
match wins: ``--index``, ``ZR_PLUGIN_INDEX``, ``[plugins] index`` in
zr.toml, then the index shipped in this package (the official plugins).
A down, slow or malformed index is one clear error, never a traceback.
"""

from __future__ import annotations

import json
import os

from zr.errors import ZrError

FORMAT = 1
DEFAULT_TIMEOUT = 10.0
MAX_BYTES = 10 * 1024 * 1024
OFFICIAL_INDEX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "official-index.json")
_REQUIRED = ("name", "install")
_OPTIONAL = ("summary", "version", "homepage", "requires_zr")


class IndexEntry:
    """One plugin an index lists; ``location`` is where the index was read
    from, against which a relative ``install`` (``./wheels/x.whl``) resolves."""

    __slots__ = ("name",) + _REQUIRED[1:] + _OPTIONAL + ("hooks", "location")

    def __init__(self, data: dict, location: str = ""):
        for key in ("name",) + _REQUIRED[1:] + _OPTIONAL:
            setattr(self, key, data.get(key) or "")
        self.hooks = list(data.get("hooks") or ())
        self.location = location

    @property
    def install_target(self) -> str:
        """``install`` with a relative path resolved against the index's
        own location (a URL or a file), so an index can sit beside its wheels."""
        target = self.install.strip()
        if not target.startswith(("./", "../")) or not self.location:
            return target
        if self.location.startswith(("http://", "https://")):
            from urllib.parse import urljoin

            return urljoin(self.location, target)
        base = self.location
        if base.startswith("file://"):
            from urllib.request import url2pathname

            base = url2pathname(base[len("file://"):])
        return os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(base)), target))

    @property
    def short_name(self) -> str:
        from .names import short_name

        return short_name(self.name)

    def to_dict(self) -> dict:
        return {key: getattr(self, key) for key in self.__slots__ if key != "location"}

    def matches(self, term: str) -> bool:
        term = term.lower()
        return term in self.name.lower() or term in self.summary.lower()


class IndexLocation:
    """Where an index is read from, and who said so (for error messages)."""

    def __init__(self, location: str, source: str):
        self.location = location
        self.source = source

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))


def choose_location(option: str | None, project_setting: str | None,
                    project_root: str | None) -> IndexLocation:
    if option:
        return IndexLocation(option, "--index")
    if os.environ.get("ZR_PLUGIN_INDEX"):
        return IndexLocation(os.environ["ZR_PLUGIN_INDEX"], "ZR_PLUGIN_INDEX")
    if project_setting:
        location = project_setting
        if not location.startswith(("http://", "https://", "file://")) and project_root:
            location = os.path.join(project_root, os.path.expanduser(location))
        return IndexLocation(location, "[plugins] index in zr.toml")
    return IndexLocation(OFFICIAL_INDEX, "the official index shipped with zr-plugin-manager")


def load_index(where: IndexLocation, timeout: float = DEFAULT_TIMEOUT) -> list:
    """The entries of an index, or a ZrError saying what is wrong with it."""
    data = _fetch(where, timeout) if where.is_url else _read_file(where)
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _error(where, f"it is not valid JSON ({exc})") from None
    return parse_index(document, where)


def parse_index(document, where: IndexLocation) -> list:
    if not isinstance(document, dict) or not isinstance(document.get("plugins"), list):
        raise _error(where, 'expected a JSON object with a "plugins" array')
    fmt = document.get("format", FORMAT)
    if fmt != FORMAT:
        raise _error(where, f'it has "format": {json.dumps(fmt)}, this zr-plugin-manager '
                            f"reads format {FORMAT} (upgrade it with `zr plugin update manager`)")
    entries = []
    for position, item in enumerate(document["plugins"]):
        if not isinstance(item, dict):
            raise _error(where, f"plugins[{position}] is not an object")
        for key in _REQUIRED:
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise _error(where, f'plugins[{position}] has no "{key}" string')
        for key in _OPTIONAL:
            if key in item and not isinstance(item[key], str):
                raise _error(where, f'plugins[{position}] ("{item["name"]}"): "{key}" must '
                                    "be a string")
        hooks = item.get("hooks", [])
        if not isinstance(hooks, list) or not all(isinstance(h, str) for h in hooks):
            raise _error(where, f'plugins[{position}] ("{item["name"]}"): "hooks" must be '
                                "a list of hook names")
        entries.append(IndexEntry(item, where.location))
    return entries


def find_entry(entries: list, name: str):
    """The entry whose distribution or short name is ``name``, or None."""
    from .names import distribution_name, normalize

    for wanted in (normalize(name), distribution_name(name)):  # exact name first
        for entry in entries:
            if normalize(entry.name) == wanted:
                return entry
    return None


def newer(candidate: str, installed: str) -> bool:
    """True when version ``candidate`` (from an index entry; "" = unknown)
    is newer than ``installed``."""
    if not candidate:
        return False
    from packaging.version import InvalidVersion, Version

    try:
        return Version(candidate) > Version(installed)
    except InvalidVersion:
        return False


def _read_file(where: IndexLocation) -> bytes:
    path = where.location
    if path.startswith("file://"):
        from urllib.request import url2pathname

        path = url2pathname(path[len("file://"):])
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _error(where, exc.strerror or str(exc)) from None


def _fetch(where: IndexLocation, timeout: float) -> bytes:
    import socket
    import urllib.error
    import urllib.request

    from . import __version__

    request = urllib.request.Request(where.location, headers={
        "User-Agent": f"zr-plugin-manager/{__version__}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise _error(where, f"the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            reason = f"no answer within {timeout:g} s"
        raise _error(where, f"cannot connect ({reason})") from None
    except (socket.timeout, TimeoutError):
        raise _error(where, f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise _error(where, str(exc)) from None
    if len(data) > MAX_BYTES:
        raise _error(where, f"it is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return data


def _error(where: IndexLocation, why: str) -> ZrError:
    return ZrError(f"cannot use the plugin index {where.location} (from {where.source}): "
                   f"{why}. Check the address, or choose another index with --index URL, "
                   "ZR_PLUGIN_INDEX or [plugins] index in zr.toml; the format is described "
                   "in docs/plugins.md")
