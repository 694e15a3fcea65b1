"""The ``cache-azure`` plugin: ``[cache.remote] type = "azure"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
azure-storage-blob is imported only when a run actually talks to the
container (:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl

KIND = "azure"


def backend_class():
    from .backend import AzureBackend

    return AzureBackend


@hookimpl
def zr_cache_backends(register):
    register(KIND, backend_class())


@hookimpl
def zr_validate(config):
    from zr_plugin_cache_cloud.validation import remote_problems

    return remote_problems(config, KIND, backend_class)
