"""The config-section registry: who owns which part of ``zr.toml``.

Plugins (the core included) claim top-level tables, task fields and
``[settings]`` keys through the ``zr_config_sections`` hook. Each claim has
a type that validates and normalises the raw TOML value: an attrs class or
typing type (structured by cattrs with strict primitives and
``forbid_extra_keys``), or a :class:`Kind` for values with a custom shape
(durations, "a string or a list of strings").
"""

from __future__ import annotations

from ..errors import PluginError


class Kind:
    """A value shape with its own checker: ``check(raw) -> normalised``.

    ``check`` raises ValueError with a user-facing message (``expected a
    duration like "90s", got true``). ``schema`` is its JSON Schema.
    """

    def __init__(self, name: str, check, schema: dict, describe: str):
        self.name = name
        self.check = check
        self.schema = schema
        self.describe = describe

    def __repr__(self) -> str:
        return f"Kind({self.name})"


class FieldSpec:
    """One claimed name: its type, default, help and owning plugin."""

    __slots__ = ("name", "type", "default", "help", "owner")

    def __init__(self, name, type_, default, help_, owner):
        self.name = name
        self.type = type_
        self.default = default
        self.help = help_
        self.owner = owner


class ConfigRegistry:
    """Collects claims; a second claim of one name is a :class:`PluginError`."""

    def __init__(self):
        self.sections: dict = {}
        self.task_fields: dict = {}
        self.settings: dict = {}
        self.dynamic: list = []  # [(callback, help, owner)] from sections_from
        self.owner = "?"  # set by the plugin host around each plugin's call

    def _claim(self, table: dict, what: str, name: str, type_, default, help_):
        existing = table.get(name)
        if existing is not None and existing.owner != self.owner:
            raise PluginError(
                f"plugins '{existing.owner}' and '{self.owner}' both claim {what} '{name}'; "
                f"uninstall one of them (`zr plugins` shows where each comes from)")
        table[name] = FieldSpec(name, type_, default, help_, self.owner)

    def section(self, name: str, schema, *, help: str = "", default=None) -> None:
        """Claim the top-level table ``[name]``."""
        self._claim(self.sections, "the section", f"{name}", schema, default, help)

    def sections_from(self, callback, *, help: str = "") -> None:
        """Claim top-level tables whose names the document itself declares.

        ``callback(doc)`` gets the raw parsed ``zr.toml`` (a dict, unchecked)
        and returns ``{name: type}`` for the tables it claims in it, e.g. a
        ``[NAME]`` for every plugin the project declares. It runs only when
        a document is validated, so it must be cheap and must not raise on
        a malformed document (its owner's own section reports that).
        """
        self.dynamic.append((callback, help, self.owner))

    def sections_for(self, doc: dict) -> dict:
        """The section claims for ``doc``: the fixed ones plus those its
        :meth:`sections_from` callbacks make; a name claimed twice is a
        :class:`PluginError` naming both owners."""
        if not self.dynamic:
            return self.sections
        sections = dict(self.sections)
        for callback, help_, owner in self.dynamic:
            for name, type_ in (callback(doc) or {}).items():
                existing = sections.get(name)
                if existing is not None and existing.owner != owner:
                    raise PluginError(
                        f"plugins '{existing.owner}' and '{owner}' both claim the section "
                        f"'{name}'; rename one of them or uninstall one plugin "
                        "(`zr plugins` shows where each comes from)")
                sections[name] = FieldSpec(name, type_, None, help_, owner)
        return sections

    def task_field(self, name: str, type_, *, default=None, help: str = "") -> None:
        """Claim the task field ``tasks.<task>.<name>``."""
        self._claim(self.task_fields, "the task field", name, type_, default, help)

    def setting(self, name: str, type_, *, default=None, help: str = "") -> None:
        """Claim the key ``[settings] <name>``."""
        self._claim(self.settings, "the setting", name, type_, default, help)
