"""``zr validate`` for an object-store remote: unknown, missing and secret settings.

The cache plugin checks ``[cache.remote]`` only for what every backend
shares (a ``type``, no ``token``...), so a store plugin checks its own
settings here, on every load, the same way for S3, GCS and Azure:

- a setting the backend does not know is an error, with the closest known
  name (``buckte`` -> ``bucket``), as zr reports any other unknown key;
- the bucket (``container`` for Azure) is required;
- a setting whose name says it is a credential (``aws_secret_access_key``,
  ``account_key``, ``connection_string``, ``sas_token``...) is a warning:
  zr.toml is committed, so the secret is readable by everyone who can read
  the repository, and its history keeps it after it is removed. The
  plugins never read credentials from zr.toml (each uses its ecosystem's
  own chain), so such a setting is also ignored. ``zr validate --strict``
  fails on it.
"""

from __future__ import annotations

# Settings every remote has: the cache plugin reads type and timeout,
# ObjectStoreBackend reads prefix.
COMMON_SETTINGS = ("type", "timeout", "prefix")
SECRET_WORDS = ("secret", "key", "password", "token", "connection_string", "sas",
                "credential", "private")


def looks_secret(setting: str) -> bool:
    """True for a setting name that suggests a credential; ``*_env``
    settings only name an environment variable and are fine."""
    name = setting.lower()
    return not name.endswith("_env") and any(word in name for word in SECRET_WORDS)


def remote_problems(config, spec):
    """``zr_validate`` of a store plugin: the problems of ``[cache.remote]``
    when its ``type`` is ``spec.kind`` (a list), else None."""
    remote = (config.doc.get("cache") or {}).get("remote") or {}
    if remote.get("type") != spec.kind:
        return None
    from zr.errors import ConfigProblem, did_you_mean

    known = COMMON_SETTINGS + (spec.container_setting,) + spec.settings
    problems = []
    for name in remote:
        if looks_secret(name):
            problems.append(ConfigProblem(
                f"{name} looks like a credential written in zr.toml, where everyone who can "
                f"read the repository can see it; zr ignores it. {spec.credentials_help}",
                key=f"cache.remote.{name}", severity="warning"))
        elif name not in known:
            problems.append(ConfigProblem(
                f"unknown setting '{name}' for remote type \"{spec.kind}\""
                f"{did_you_mean(name, known)}; expected one of {', '.join(known)}",
                key=f"cache.remote.{name}"))
    if not remote.get(spec.container_setting):
        problems.append(ConfigProblem(
            f'the {spec.kind} remote cache needs {spec.container_setting} = "NAME"',
            key="cache.remote"))
    return problems
