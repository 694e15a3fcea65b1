"""Check a parsed ``zr.toml`` against the registry and normalise it.

The result is a plain dict of plain values (durations in seconds, commands
as lists, env values as text; attrs-typed values unstructured back to
dicts), so it can be cached with marshal and rebuilt without importing
attrs or cattrs. Every problem becomes a :class:`ConfigError` naming the
file, line, key path and the expected shape.
"""

from __future__ import annotations

from ..errors import ConfigError, did_you_mean
from .kinds import FieldError, show
from .locate import find_line
from .registry import Kind
from ..missing import KnownNames, hint as provider_hint

# What official plugins provide, for "install it" hints: data the kernel
# ships (zr/known_plugins.json), read only when a name is unclaimed.
KNOWN_SECTIONS = KnownNames("sections")
KNOWN_TASK_FIELDS = KnownNames("task_fields")


class Validator:
    """Validates one document; ``file`` and ``text`` locate errors."""

    def __init__(self, registry, file: str, text: str):
        self.registry = registry
        self.file = file
        self.text = text
        self._converter = None

    def error(self, path: list, message: str) -> ConfigError:
        key = render_key(path)
        return ConfigError(message, file=self.file, line=find_line(self.text, path), key=key)

    def validate(self, doc: dict) -> dict:
        self._lists_required = bool((doc.get("plugins") or {}).get("required")) \
            if isinstance(doc.get("plugins"), dict) else False
        out: dict = {}
        sections = self.registry.sections_for(doc)
        for name, value in doc.items():
            spec = sections.get(name)
            if spec is None:
                raise self.error([name], self._unclaimed("section", name, sections,
                                                          KNOWN_SECTIONS, f"[{name}]"))
            out[name] = self.convert([name], value, spec.type)
        for name, spec in sections.items():
            if name not in out and spec.default is not None:
                out[name] = spec.default
        return out

    def _unclaimed(self, what, name, claimed, known, shown) -> str:
        required = ("; this project lists the plugins it needs in [plugins] required: "
                    "install them with `zr plugin install --required`"
                    if getattr(self, "_lists_required", False) else "")
        # A plugin that provides the very name beats a near miss of a claimed
        # one ("condition" is the expr plugin's, not a typo of "description").
        kind = {"section": "sections", "task field": "task_fields"}.get(what, "settings")
        provides = provider_hint(kind, name) if name in known or kind == "settings" else None
        if provides:
            return f"no installed plugin handles {shown} ({provides}){required}"
        hint = did_you_mean(name, claimed)
        if hint:
            return f"unknown {what} '{name}'{hint}"
        return f"unknown {what} '{name}'; no installed plugin handles {shown}{required}"

    def convert(self, path: list, value, type_):
        """Check ``value`` against ``type_`` and return its normalised form."""
        if isinstance(type_, Kind):
            try:
                return type_.check(value)
            except FieldError as exc:
                raise self.error(path + exc.path, str(exc)) from None
            except ValueError as exc:
                raise self.error(path, str(exc)) from None
        if isinstance(type_, TableOf):
            return type_.convert(self, path, value)
        return self._cattrs(path, value, type_)

    def fields(self, path: list, value, specs: dict, what: str, known: dict) -> dict:
        """Validate a table whose keys are claimed fields (a task, settings)."""
        if not isinstance(value, dict):
            raise self.error(path, f"expected a table, got {show(value)}")
        out = {}
        for key, item in value.items():
            spec = specs.get(key)
            if spec is None:
                raise self.error(path + [key], self._unclaimed(
                    what, key, specs, known, f"{'.'.join(map(str, path))}.{key}"))
            out[key] = self.convert(path + [key], item, spec.type)
        return out

    # -- cattrs for attrs classes and typing types ---------------------------

    def _cattrs(self, path, value, type_):
        converter = self._converter or _strict_converter()
        self._converter = converter
        try:
            structured = converter.structure(value, type_)
        except Exception as exc:  # cattrs raises groups; flatten to the first leaf
            sub_path, message = _first_problem(exc)
            raise self.error(path + sub_path, message) from None
        return converter.unstructure(structured)


def render_key(path: list) -> str | None:
    """``["notify", "webhooks", 0, "url_env"]`` -> ``notify.webhooks[0].url_env``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or None


class TableOf:
    """``{name: <table of claimed fields>}``: the shape of ``[tasks]``."""

    def __init__(self, specs_attr: str, what: str, known: dict, key_check=None):
        self.specs_attr = specs_attr
        self.what = what
        self.known = known
        self.key_check = key_check

    def convert(self, validator, path, value):
        if not isinstance(value, dict):
            raise validator.error(path, f"expected a table, got {show(value)}")
        specs = getattr(validator.registry, self.specs_attr)
        out = {}
        for name, item in value.items():
            if self.key_check:
                problem = self.key_check(name)
                if problem:
                    raise validator.error(path + [name], problem)
            out[name] = validator.fields(path + [name], item, specs, self.what, self.known)
        return out


class Fields(TableOf):
    """A single table of claimed fields: the shape of ``[settings]``."""

    def convert(self, validator, path, value):
        specs = getattr(validator.registry, self.specs_attr)
        return validator.fields(path, value, specs, self.what, self.known)


def _note_path(exc) -> list:
    """The attribute name or index cattrs noted on one sub-exception."""
    for note in getattr(exc, "__notes__", ()) or ():
        if getattr(note, "name", None) is not None:
            return [note.name]
        if getattr(note, "index", None) is not None:
            return [note.index]
    return []


def _first_problem(exc, path=None) -> tuple:
    """(sub-path, message) of the first leaf error in a cattrs exception."""
    path = path or []
    inner = getattr(exc, "exceptions", None)
    if inner:
        child = inner[0]
        return _first_problem(child, path + _note_path(child))
    extra = getattr(exc, "extra_fields", None)
    if extra:
        field = sorted(extra)[0]
        return path + [field], f"unknown key '{field}'"
    if isinstance(exc, KeyError):
        return path, f"missing required key {exc}"
    return path, str(exc)


def _strict_converter():
    """A cattrs converter that refuses "3" for an int and 1 for a string."""
    import cattrs

    converter = cattrs.Converter(forbid_extra_keys=True)

    def strict(tp, word):
        def hook(value, _type):
            if type(value) is tp or (tp is float and type(value) is int):
                return tp(value)
            raise ValueError(f"expected {word}, got {show(value)}")
        return hook

    for tp, word in ((int, "an integer"), (float, "a number"), (str, "a string"),
                     (bool, "true or false")):
        converter.register_structure_hook(tp, strict(tp, word))
    return converter
