"""The backend ``[cache.remote]`` names, made by the plugin that provides it.

Used by a run (:func:`zr_plugin_cache.session.make_remote` wraps it in a
:class:`~zr_plugin_cache.remote_cache.RemoteCache`) and by ``zr cache
remote check``, so the command checks exactly what a run would use.
"""

from __future__ import annotations

import os

from zr.errors import ConfigError

from .remote import DEFAULT_TIMEOUT


def make_backend(config, settings, warn):
    """The remote backend of ``settings`` (a :class:`~zr_plugin_cache.settings.
    CacheSettings`), or None without ``[cache.remote]``.

    The factory registered for its ``type`` through ``zr_cache_backends``
    gets the table plus ``timeout``, ``token`` (from ``token_env``) and
    ``signing_key`` (from ``[cache] signing_key_env``). An unknown type or
    an unset signing key variable is a :class:`ConfigError`; an unset token
    variable is a warning (some servers take anonymous requests).
    """
    if not settings.remote:
        return None
    factories = {}

    def register(type_name: str, factory) -> None:
        factories[type_name] = factory

    config.plugins.call("zr_cache_backends", register=register)
    remote_settings = dict(settings.remote)
    kind = remote_settings["type"]
    factory = factories.get(kind)
    if factory is None:
        known = ", ".join(sorted(factories)) or "none"
        hint = f" (pip install zr-plugin-cache-{kind})" if kind in ("s3", "gcs", "azure") else ""
        raise ConfigError(f'no installed plugin provides the remote cache type "{kind}"{hint}; '
                          f"installed: {known}", file=config.display_path,
                          key="cache.remote.type")
    remote_settings.setdefault("timeout", DEFAULT_TIMEOUT)
    token_env = remote_settings.get("token_env")
    remote_settings["token"] = os.environ.get(token_env) if token_env else None
    if token_env and not remote_settings["token"]:
        warn(f"remote cache: ${token_env} (cache.remote.token_env) is not set; "
             f"requests go without a token")
    remote_settings["signing_key"] = None
    key_env = settings.signing_key_env
    if key_env:
        secret = os.environ.get(key_env)
        if not secret:
            raise ConfigError(f"${key_env} (cache.signing_key_env) is not set: remote entries "
                              f"cannot be signed or checked", file=config.display_path,
                              key="cache.signing_key_env")
        remote_settings["signing_key"] = secret.encode("utf-8")
    return factory(remote_settings, config.root)
