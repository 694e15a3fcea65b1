"""The ``cache-s3`` plugin: ``[cache.remote] type = "s3"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
boto3 is imported only when a run actually talks to the bucket
(:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl

CREDENTIALS = ("Give S3 credentials the way AWS tools take them: AWS_ACCESS_KEY_ID and "
               "AWS_SECRET_ACCESS_KEY in the environment, a profile (profile = \"name\" or "
               "AWS_PROFILE), or the machine's instance role.")


@hookimpl
def zr_cache_backends(register):
    from .backend import S3Backend

    register("s3", S3Backend)


@hookimpl
def zr_validate(config):
    from zr_plugin_cache_cloud.secret_settings import plaintext_secrets

    return plaintext_secrets(config, "s3", CREDENTIALS)
