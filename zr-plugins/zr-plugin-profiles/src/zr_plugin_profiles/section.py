"""The ``[profiles]`` table, validated with the kernel's own rules.

A profile's ``env`` and ``settings`` are checked by the types that the
kernel registered for ``[env]`` and ``[settings]``, and each
``[profiles.NAME.tasks.TASK]`` by the registered task fields, so an
override is held to exactly the rules of the field it overrides (and a
plugin's field, such as ``matrix`` or ``condition``, can be overridden
too). Values are normalised the same way, and cached with the document.
"""

from __future__ import annotations

from zr.api import STRING, show
from zr.api import KNOWN_TASK_FIELDS, TableOf
from zr.errors import did_you_mean

PROFILE_KEYS = ("description", "env", "settings", "tasks")
# ',' separates names in --profile a,b and ZR_PROFILE=a,b.
_NAME_RESERVED = ", \t"


class ProfilesSection(TableOf):
    """``[profiles.NAME]`` tables of ``description``, ``env``, ``settings``
    and ``tasks``.

    A :class:`TableOf` because that is how the kernel's validator hands a
    composite type the validator itself (for the registry and for errors
    located on their line).
    """

    def __init__(self):
        super().__init__("task_fields", "task field", KNOWN_TASK_FIELDS)

    def convert(self, validator, path, value):
        if not isinstance(value, dict):
            raise validator.error(path, f"expected a table of profiles such as "
                                        f"[profiles.ci], got {show(value)}")
        return {name: self._profile(validator, path + [name], name, profile)
                for name, profile in value.items()}

    def _profile(self, validator, path, name, value) -> dict:
        if any(c in name for c in _NAME_RESERVED) or not name:
            raise validator.error(path, f"profile name {name!r} is not allowed: ',' and "
                                        "spaces separate profiles in --profile and ZR_PROFILE")
        if not isinstance(value, dict):
            raise validator.error(path, f"expected a table with "
                                        f"{', '.join(PROFILE_KEYS)}, got {show(value)}")
        sections = validator.registry.sections
        out = {}
        for key, item in value.items():
            where = path + [key]
            if key == "description":
                out[key] = validator.convert(where, item, STRING)
            elif key in ("env", "settings"):
                out[key] = validator.convert(where, item, sections[key].type)
            elif key == "tasks":
                out[key] = self._tasks(validator, where, item)
            else:
                raise validator.error(where, f"unknown key '{key}'"
                                             f"{did_you_mean(key, PROFILE_KEYS)}; a profile "
                                             f"has {', '.join(PROFILE_KEYS)}")
        return out

    def _tasks(self, validator, path, value) -> dict:
        if not isinstance(value, dict):
            raise validator.error(path, f"expected tables such as [{'.'.join(path)}.test], "
                                        f"got {show(value)}")
        fields = validator.registry.task_fields
        return {name: validator.fields(path + [name], item, fields, "task field",
                                       KNOWN_TASK_FIELDS)
                for name, item in value.items()}
