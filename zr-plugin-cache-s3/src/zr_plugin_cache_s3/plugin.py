"""The ``cache-s3`` plugin: ``[cache.remote] type = "s3"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
the backend, and boto3 with it, is imported only when a run
actually uses the bucket (:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl
from zr_plugin_cache.object_store.spec import StoreSpec

SPEC = StoreSpec(
    "s3",
    settings=("region", "endpoint_url", "profile", "addressing_style"),
    credentials_help=("Give S3 credentials the way AWS tools take them: AWS_ACCESS_KEY_ID and "
                      "AWS_SECRET_ACCESS_KEY in the environment, a profile (profile = \"name\" "
                      "or AWS_PROFILE), or the machine's instance role."))


@hookimpl
def zr_cache_backends(register):
    from .backend import S3Backend

    register(SPEC.kind, S3Backend)


@hookimpl
def zr_validate(config):
    from zr_plugin_cache.object_store.validation import remote_problems

    return remote_problems(config, SPEC)
