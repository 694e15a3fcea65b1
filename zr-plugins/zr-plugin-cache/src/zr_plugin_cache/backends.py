"""The remote types plugins provide, and the backend ``[cache.remote]`` names.

:func:`make_backend` is used by a run (:func:`zr_plugin_cache.session.
make_remote` wraps it in a :class:`~zr_plugin_cache.remote_cache.RemoteCache`)
and by ``zr cache remote check``, so the command checks exactly what a run
would use. Validation reads the types' specs from :func:`registered_types`
without importing any backend.
"""

from __future__ import annotations

import os

from zr.errors import ConfigError


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
    remote_settings = dict(settings.remote)
    kind = remote_settings["type"]
    types = registered_types(config)
    if kind not in types:
        raise ConfigError(unknown_type_message(kind, types), file=config.display_path,
                          key="cache.remote.type")
    from .remote import DEFAULT_TIMEOUT

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
    return types[kind].resolve()(remote_settings, config.root)


class Registration:
    """A remote type as a plugin registered it: its factory (a callable, or
    the ``"module:attribute"`` naming one) and its optional spec."""

    __slots__ = ("factory", "spec")

    def __init__(self, factory, spec):
        self.factory = factory
        self.spec = spec

    def resolve(self):
        """The factory itself; a named one is imported now, so only the
        backend of the type in use is ever loaded."""
        if isinstance(self.factory, str):
            import importlib

            module_name, _, attribute = self.factory.partition(":")
            self.factory = getattr(importlib.import_module(module_name), attribute)
        return self.factory


def registered_types(config) -> dict:
    """Every remote type the installed plugins provide: name -> :class:`Registration`."""
    found = {}

    def register(type_name: str, factory, *, spec=None) -> None:
        found[type_name] = Registration(factory, spec if spec is not None
                                        else getattr(factory, "spec", None))

    config.plugins.call("zr_cache_backends", register=register)
    return found


def unknown_type_message(kind: str, known_types) -> str:
    hint = f" (pip install zr-plugin-cache-{kind})" if kind in ("s3", "gcs", "azure") else ""
    return (f'no installed plugin provides the remote cache type "{kind}"{hint}; '
            f"installed: {', '.join(sorted(known_types)) or 'none'}")
