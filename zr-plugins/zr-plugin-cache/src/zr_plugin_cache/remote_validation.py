"""Checking ``[cache.remote]`` on every load, one rule for every remote type.

``[cache]`` itself is checked with the section (:mod:`.settings`): shapes
and types. What depends on the remote's type is checked here, when the
project has a ``[cache.remote]`` (the plugin's ``zr_validate`` returns at
once otherwise):

- the type must be one an installed plugin provides;
- a setting whose name says it is a credential (``token``,
  ``aws_secret_access_key``, ``account_key``, ``connection_string``,
  ``sas_token``, ``private_key``...) is an error whatever the type:
  zr.toml is committed, so the secret is readable by everyone who can read
  the repository, and its history keeps it after it is removed. Settings
  ending in ``_env`` only name an environment variable and are fine, and
  so is a setting the type declares;
- with a type registered with its settings (a ``spec``,
  :mod:`.remote_spec`), an unknown setting is an error with the closest
  known name, and a required one must be there.
"""

from __future__ import annotations

from zr.errors import ConfigProblem, did_you_mean

from .backends import registered_types, unknown_type_message

# Read by the cache plugin for every type.
COMMON_SETTINGS = ("type", "timeout")
SECRET_WORDS = ("secret", "key", "password", "passwd", "token", "connection_string", "sas",
                "credential", "private")
GENERIC_CREDENTIALS_HELP = ('Put it in an environment variable and name that with '
                            'token_env = "VARIABLE".')


def looks_secret(setting: str) -> bool:
    """True for a setting name that suggests a credential; ``*_env``
    settings only name an environment variable and are fine."""
    name = setting.lower()
    return not name.endswith("_env") and any(word in name for word in SECRET_WORDS)


def remote_problems(config, remote: dict) -> list:
    """The :class:`ConfigProblem`s of the ``[cache.remote]`` table ``remote``."""
    kind = remote["type"]
    types = registered_types(config)
    if kind not in types:
        return [ConfigProblem(unknown_type_message(kind, types), key="cache.remote.type")]
    spec = types[kind].spec
    declared = COMMON_SETTINGS + spec.settings if spec is not None else None
    help_text = (spec.credentials_help if spec is not None else "") or GENERIC_CREDENTIALS_HELP
    problems = []
    for name in remote:
        if declared is not None and name in declared:
            continue
        if looks_secret(name):
            # A misspelt *_env setting looks secret too: point at the right name.
            closest = did_you_mean(name, declared or ())
            problems.append(ConfigProblem(
                f"secrets do not belong in zr.toml ('{name}' looks like one{closest}): everyone "
                f"who can read the repository can read them, in its history too. {help_text}",
                key=f"cache.remote.{name}"))
        elif declared is not None:
            problems.append(ConfigProblem(
                f"unknown setting '{name}' for remote type \"{kind}\""
                f"{did_you_mean(name, declared)}; expected one of {', '.join(declared)}",
                key=f"cache.remote.{name}"))
    for name in spec.required if spec is not None else ():
        if remote.get(name) in (None, ""):
            problems.append(ConfigProblem(f'the {kind} remote cache needs {name} = "..."',
                                          key="cache.remote"))
    return problems
