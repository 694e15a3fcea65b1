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


#: Tables and arrays nested deeper than this are refused (docs/zr-toml.md,
#: "Limits"): no zr.toml needs it, and deeper documents exhaust the stack
#: of the parser, the validator and the parsed-config cache.
MAX_NESTING = 100


def parse_toml(text: str, shown: str) -> dict:
    """Parse TOML; a syntax error becomes ``zr.toml:3: invalid TOML: ...``."""
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise ConfigError(f"invalid TOML: tables or arrays nested more than {MAX_NESTING} "
                          f"levels deep", file=shown) from None
    except ValueError as exc:
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise _syntax_error(exc, shown) from None
        # int() refusing a literal of thousands of digits (Python >= 3.11)
        raise ConfigError(f"invalid TOML: an integer literal is too long "
                          f"({str(exc).split(';')[0].split(': ')[-1]}); quote it",
                          file=shown) from None
    _check_nesting(doc, shown)
    return doc


def _check_nesting(doc: dict, shown: str) -> None:
    """Refuse a document nested deeper than :data:`MAX_NESTING` (iteratively:
    a recursive walk would be the very thing that fails)."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ConfigError(f"invalid TOML: tables or arrays nested more than "
                              f"{MAX_NESTING} levels deep", file=shown)
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (dict, list)))


def _syntax_error(exc, shown: str) -> ConfigError:
    """``zr.toml:3: invalid TOML: ...`` from tomllib's message."""
    message = str(exc)
    line = None
    if "(at line " in message:
        head, _, where = message.rpartition(" (at line ")
        number, _, column = where.rstrip(")").partition(", column ")
        line = int(number) if number.isdigit() else None
        message = f"{head[0].lower()}{head[1:]}" + (f" at column {column}" if column else "")
    elif "(at end of document)" in message:
        message = message.replace(" (at end of document)", " at the end of the file")
    return ConfigError(f"invalid TOML: {message}", file=shown, line=line)


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
