"""The ``cache-s3`` plugin: ``[cache.remote] type = "s3"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
boto3 is imported only when a run actually talks to the bucket
(:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl

KIND = "s3"


def backend_class():
    from .backend import S3Backend

    return S3Backend


@hookimpl
def zr_cache_backends(register):
    register(KIND, backend_class())


@hookimpl
def zr_validate(config):
    from zr_plugin_cache_cloud.validation import remote_problems

    return remote_problems(config, KIND, backend_class)
