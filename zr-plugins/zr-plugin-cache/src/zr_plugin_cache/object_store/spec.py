"""What a store plugin declares about its remote type, in one place.

Imported with the plugin's hook module on every zr invocation, so it
imports nothing: ``zr validate`` reads the settings from here without
loading the backend (or its SDK), and the backend reads its type and
bucket setting from the same object.
"""


class StoreSpec:
    """A remote type: its name, its settings, where its credentials belong."""

    __slots__ = ("kind", "container_setting", "settings", "credentials_help")

    def __init__(self, kind: str, *, container_setting: str = "bucket", settings: tuple = (),
                 credentials_help: str = ""):
        #: ``[cache.remote] type``, also the first word of a backend's description.
        self.kind = kind
        #: The setting naming the bucket: ``bucket``, or ``container`` for Azure.
        self.container_setting = container_setting
        #: The store's own settings, besides type, timeout, prefix and the bucket.
        self.settings = settings
        #: Where this store's credentials belong, for the warning about a
        #: credential written in zr.toml.
        self.credentials_help = credentials_help
