"""Read, parse, validate and cache one ``zr.toml`` document."""

from __future__ import annotations

import marshal
import os
import zlib

from .. import __version__
from ..errors import ConfigError
from ..paths import atomic_write, cache_dir

_CACHE_FORMAT = 1


def display_path(path: str) -> str:
    """``path`` as the user would write it: relative to where zr runs, if shorter."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return rel if len(rel) < len(path) else path


def parse_toml(text: str, shown: str) -> dict:
    """Parse TOML; a syntax error becomes ``zr.toml:3: invalid TOML: ...``."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = None
        if "(at line " in message:
            head, _, where = message.rpartition(" (at line ")
            number, _, column = where.rstrip(")").partition(", column ")
            line = int(number) if number.isdigit() else None
            message = f"{head[0].lower()}{head[1:]}" + (f" at column {column}" if column else "")
        elif "(at end of document)" in message:
            message = message.replace(" (at end of document)", " at the end of the file")
        raise ConfigError(f"invalid TOML: {message}", file=shown, line=line) from None


def read_text(path: str, shown: str) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise ConfigError(f"cannot read the file: {exc.strerror}", file=shown) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not valid UTF-8 (byte {exc.start})", file=shown) from None


def _cache_path(path: str) -> str:
    # crc32 is cheap to import; the record's stamps name the path, so a
    # collision is only a cache miss.
    digest = "%08x-%d" % (zlib.crc32(path.encode()), len(path))
    return os.path.join(cache_dir(), "config", digest + ".marshal")


def _stamp(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return (path, None, None)  # an optional include that may appear later
    return (path, st.st_mtime_ns, st.st_size)


def load_document(path: str, plugins) -> dict:
    """The validated document of ``path``, from the cache when still valid."""
    cache_file = _cache_path(path)
    try:
        with open(cache_file, "rb") as fh:
            record = marshal.load(fh)
        fmt, version, digest, stamps, doc = record
        if (fmt == _CACHE_FORMAT and version == __version__ and digest == plugins.digest
                and stamps[0][0] == path and all(_stamp(s[0]) == tuple(s) for s in stamps)):
            return doc
    except (OSError, ValueError, EOFError, TypeError):
        pass
    registry = plugins.config_registry()

    def load(file: str):
        from .validate import Validator

        shown = display_path(file)
        text = read_text(file, shown)
        return Validator(registry, shown, text).validate(parse_toml(text, shown)), shown, text

    stamps = [_stamp(path)]
    doc, _, _ = load(path)
    if doc.get("includes"):
        from .includes import merge_includes

        stamps += [_stamp(p) for p in merge_includes(doc, path, os.path.dirname(path), load)]
    try:
        atomic_write(cache_file, marshal.dumps((_CACHE_FORMAT, __version__, plugins.digest,
                                                stamps, doc)))
    except (OSError, ValueError):
        pass  # a read-only cache dir only costs speed
    return doc
