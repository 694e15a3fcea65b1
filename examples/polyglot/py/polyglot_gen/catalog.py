"""Reading and checking the greetings catalogue.

Every later step trusts the catalogue, so it is checked once, here, with
messages that point at the file and the offending entry.
"""

import json
import re

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
VERSION_NUMBER = re.compile(r"^\d+\.\d+\.\d+$")


class CatalogError(ValueError):
    """The catalogue is malformed; the message says where and how."""


class Catalog:
    """A checked catalogue: a version, greetings by language, a default language."""

    def __init__(self, version, greetings, default):
        self.version = version
        self.greetings = dict(sorted(greetings.items()))
        self.default = default

    @property
    def languages(self):
        return list(self.greetings)


def load_catalog(version_path, greetings_path):
    """Read ``VERSION`` and ``greetings.json`` into a :class:`Catalog`."""
    with open(version_path, encoding="utf-8") as handle:
        version = handle.read().strip()
    if not VERSION_NUMBER.match(version):
        raise CatalogError(f"{version_path}: expected a version like 1.2.3, got {version!r}")
    with open(greetings_path, encoding="utf-8") as handle:
        try:
            document = json.load(handle)
        except json.JSONDecodeError as error:
            raise CatalogError(f"{greetings_path}:{error.lineno}: not valid JSON: {error.msg}") from None
    return parse_catalog(version, document, source=greetings_path)


def parse_catalog(version, document, source="<catalogue>"):
    """Check a decoded greetings document and build the :class:`Catalog`."""
    if not isinstance(document, dict):
        raise CatalogError(f"{source}: expected a JSON object at the top level")
    greetings = document.get("greetings")
    if not isinstance(greetings, dict) or not greetings:
        raise CatalogError(f"{source}: \"greetings\" must be a non-empty object of language: text")
    for language, text in greetings.items():
        if not LANGUAGE_CODE.match(language):
            raise CatalogError(f"{source}: greetings.{language}: a language code is 2-3 lowercase letters")
        if not isinstance(text, str) or not text.strip():
            raise CatalogError(f"{source}: greetings.{language}: expected a non-empty string")
    default = document.get("default", "en")
    if default not in greetings:
        raise CatalogError(f"{source}: default language {default!r} has no greeting")
    return Catalog(version, greetings, default)
