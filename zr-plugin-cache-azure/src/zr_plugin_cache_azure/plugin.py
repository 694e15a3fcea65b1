"""The ``cache-azure`` plugin: ``[cache.remote] type = "azure"``.

zr imports this module on every load (``zr_validate``), so it stays thin:
the backend, and azure-storage-blob with it, is imported only when a run
actually uses the container (:mod:`.backend`).
"""

from __future__ import annotations

from zr import hookimpl
from zr_plugin_cache.object_store.spec import StoreSpec

SPEC = StoreSpec(
    "azure",
    container_setting="container",
    settings=("endpoint_url", "account_name", "connection_string_env", "account_key_env",
              "sas_token_env"),
    credentials_help=("Give Azure credentials through the environment: a connection string in "
                      "AZURE_STORAGE_CONNECTION_STRING (or the variable connection_string_env "
                      "names), an account key in AZURE_STORAGE_KEY, a SAS token in "
                      "AZURE_STORAGE_SAS_TOKEN, or DefaultAzureCredential (pip install "
                      "azure-identity)."))


@hookimpl
def zr_cache_backends(register):
    from .backend import AzureBackend

    register(SPEC.kind, AzureBackend)


@hookimpl
def zr_validate(config):
    from zr_plugin_cache.object_store.validation import remote_problems

    return remote_problems(config, SPEC)
