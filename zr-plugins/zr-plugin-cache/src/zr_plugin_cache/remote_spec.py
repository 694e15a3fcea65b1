"""What a remote type declares about its ``[cache.remote]`` settings.

A backend registered with ``zr_cache_backends`` may carry a ``spec``
(a class attribute of the backend class, which is its own factory): every
load then checks the table against it (:mod:`.remote_validation`), so a
misspelt setting is a config error with the closest known name, not a
setting silently ignored. Imports nothing: read while validating.
"""


class RemoteSpec:
    """A remote type: its name, its settings, where its credentials belong."""

    __slots__ = ("kind", "settings", "required", "credentials_help")

    def __init__(self, kind: str, *, settings: tuple = (), required: tuple = (),
                 credentials_help: str = ""):
        #: ``[cache.remote] type``, also the first word of a backend's description.
        self.kind = kind
        #: The type's own settings, besides ``type`` and ``timeout``.
        self.settings = settings
        #: Those of ``settings`` that must be given.
        self.required = required
        #: Where this type's credentials belong, for the error about a
        #: credential written in zr.toml.
        self.credentials_help = credentials_help
