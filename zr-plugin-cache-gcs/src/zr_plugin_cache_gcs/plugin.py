"""The ``cache-gcs`` plugin: ``[cache.remote] type = "gcs"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
google-cloud-storage is imported only when a run actually talks to the
bucket (:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl

KIND = "gcs"


def backend_class():
    from .backend import GcsBackend

    return GcsBackend


@hookimpl
def zr_cache_backends(register):
    register(KIND, backend_class())


@hookimpl
def zr_validate(config):
    from zr_plugin_cache_cloud.validation import remote_problems

    return remote_problems(config, KIND, backend_class)
