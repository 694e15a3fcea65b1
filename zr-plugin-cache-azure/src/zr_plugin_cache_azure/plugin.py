"""The ``cache-azure`` plugin: ``[cache.remote] type = "azure"``, a declaration (see
:mod:`zr_plugin_cache.object_store.spec`); azure-storage-blob loads only in :mod:`.backend`."""

from zr_plugin_cache.object_store.spec import StoreSpec

SPEC = StoreSpec(
    "azure", backend="zr_plugin_cache_azure.backend:AzureBackend",
    container_setting="container",
    settings=("endpoint_url", "account_name", "connection_string_env", "account_key_env",
              "sas_token_env"),
    credentials_help=("Give Azure credentials through the environment: a connection string in "
                      "AZURE_STORAGE_CONNECTION_STRING (or the variable connection_string_env "
                      "names), an account key in AZURE_STORAGE_KEY, a SAS token in "
                      "AZURE_STORAGE_SAS_TOKEN, or DefaultAzureCredential (pip install "
                      "azure-identity)."))

zr_cache_backends = SPEC.backends_hook()
