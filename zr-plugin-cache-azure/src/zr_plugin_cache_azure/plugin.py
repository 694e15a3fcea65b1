"""The ``cache-azure`` plugin: ``[cache.remote] type = "azure"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
azure-storage-blob is imported only when a run actually talks to the
container (:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl

CREDENTIALS = ("Give Azure credentials through the environment: a connection string in "
               "AZURE_STORAGE_CONNECTION_STRING (or the variable connection_string_env names), "
               "an account key in AZURE_STORAGE_KEY, a SAS token in AZURE_STORAGE_SAS_TOKEN, or "
               "DefaultAzureCredential (pip install azure-identity).")


@hookimpl
def zr_cache_backends(register):
    from .backend import AzureBackend

    register("azure", AzureBackend)


@hookimpl
def zr_validate(config):
    from zr_plugin_cache_cloud.secret_settings import plaintext_secrets

    return plaintext_secrets(config, "azure", CREDENTIALS)
