"""What zr's object-store remote caches (S3, GCS, Azure Blob) have in common.

Not a plugin of its own: ``zr-plugin-cache-s3``, ``-gcs`` and ``-azure``
use it so that each of them only declares its type and settings
(:mod:`.spec`) and says how its SDK reads, writes and deletes an object
and what its errors mean (:mod:`.backend`). Their settings are checked by
the cache plugin, the same way as every remote's
(:mod:`zr_plugin_cache.remote_validation`).
"""
