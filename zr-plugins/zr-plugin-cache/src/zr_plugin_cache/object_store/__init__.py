"""What zr's object-store remote caches (S3, GCS, Azure Blob) have in common.

Not a plugin of its own: ``zr-plugin-cache-s3``, ``-gcs`` and ``-azure``
use it so that each of them only says how its SDK reads, writes and deletes
an object, what its errors mean and which settings it takes
(:mod:`.backend`, :mod:`.spec`); their settings are checked the same way
(:mod:`.validation`).
"""
