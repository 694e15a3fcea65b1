"""What an object-store plugin declares about its remote type, in one place.

A store plugin's hook module is this declaration and nothing else::

    SPEC = StoreSpec("s3", backend="zr_plugin_cache_s3.backend:S3Backend",
                     settings=("region", ...), credentials_help="...")
    zr_cache_backends = SPEC.backends_hook()

Validation reads the settings from it without importing the backend (or
its SDK), and :class:`~zr_plugin_cache.object_store.backend.ObjectStoreBackend`
reads its type and bucket setting from the same object (``spec``).
"""

from ..remote_spec import RemoteSpec


class StoreSpec(RemoteSpec):
    """A :class:`RemoteSpec` whose settings include the bucket (required)
    and ``prefix``, which every object store takes, and which knows its
    backend class by name."""

    __slots__ = ("container_setting", "backend")

    def __init__(self, kind: str, *, backend: str, container_setting: str = "bucket",
                 settings: tuple = (), credentials_help: str = ""):
        super().__init__(kind, settings=(container_setting, "prefix") + settings,
                         required=(container_setting,), credentials_help=credentials_help)
        #: ``"module:Class"`` of the backend, imported only when a run uses it.
        self.backend = backend
        #: The setting naming the bucket: ``bucket``, or ``container`` for Azure.
        self.container_setting = container_setting

    def backends_hook(self):
        """The plugin's ``zr_cache_backends``: registers this type by name."""
        from zr import hookimpl

        spec = self

        @hookimpl
        def zr_cache_backends(register):
            register(spec.kind, spec.backend, spec=spec)

        return zr_cache_backends
