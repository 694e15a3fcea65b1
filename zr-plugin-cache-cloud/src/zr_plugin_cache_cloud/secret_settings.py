"""Warn about credentials written into ``[cache.remote]``.

zr.toml is committed; a key or connection string in it is readable by
everyone who can read the repository, and its history keeps it after it is
removed. The store plugins never read credentials from zr.toml (each uses
its ecosystem's own chain: environment, profile, instance identity), so a
secret written there is both a leak and ignored: ``zr validate`` says so
as a warning, and ``zr validate --strict`` fails on it.

The cache plugin already refuses the generic names (``token``,
``password``, ``secret``...); this catches the store-specific ones
(``aws_secret_access_key``, ``account_key``, ``connection_string``,
``sas_token``, ``credentials``...).
"""

from __future__ import annotations

from typing import Optional

SECRET_WORDS = ("secret", "key", "password", "token", "connection_string", "sas",
                "credential", "private")


def looks_secret(setting: str) -> bool:
    """True for a setting name that suggests a credential; ``*_env``
    settings only name an environment variable and are fine."""
    name = setting.lower()
    return not name.endswith("_env") and any(word in name for word in SECRET_WORDS)


def plaintext_secrets(config, kind: str, how_to: str) -> Optional[list]:
    """``zr_validate`` of a store plugin: a warning for each secret-looking
    setting in ``[cache.remote]`` when its ``type`` is ``kind``.

    ``how_to`` says where that store's credentials belong instead.
    """
    remote = (config.doc.get("cache") or {}).get("remote") or {}
    if remote.get("type") != kind:
        return None
    from zr.errors import ConfigProblem

    return [ConfigProblem(f"{name} looks like a credential written in zr.toml, where everyone "
                          f"who can read the repository can see it; zr ignores it. {how_to}",
                          key=f"cache.remote.{name}", severity="warning")
            for name in remote if looks_secret(name)]
