"""The Azure Blob remote cache against azurite: the shared contract plus the
ways Azure takes credentials (connection string, account key, none)."""

from __future__ import annotations

import pytest
from zr_plugin_cache_azure.backend import AzureBackend

from tests.cloud_cache_scenarios import (CloudCacheContract, CloudRemote,
                                         assert_ran_locally_with_one_warning, unreachable_url)

# azurite logs `"PUT /account/container/name?comp=block&blockid=... HTTP/1.1" 201`
# for every staged block.
UPLOAD_PART = r'comp=block&\S* HTTP/1\.1" 201'
CONNECTION_STRING_ENV = "ZR_TEST_AZURE_CONNECTION"
NO_AMBIENT_AZURE = {"AZURE_STORAGE_CONNECTION_STRING": None, "AZURE_STORAGE_KEY": None,
                    "AZURE_STORAGE_SAS_TOKEN": None}


class TestAzureCache(CloudCacheContract):
    secret_setting = "connection_string"
    sdk_modules = ("azure",)

    @pytest.fixture
    def remote(self, azure_blob_server):
        return CloudRemote(azure_blob_server, AzureBackend,
                           {"type": "azure", "container": azure_blob_server.container,
                            "connection_string_env": CONNECTION_STRING_ENV},
                           {**NO_AMBIENT_AZURE,
                            CONNECTION_STRING_ENV: azure_blob_server.connection_string},
                           UPLOAD_PART)

    @pytest.fixture
    def wrong_credentials(self, remote, azure_blob_server):
        wrong_key = azure_blob_server.connection_string.replace(
            azure_blob_server.account_key, "d3Jvbmcta2V5LWZvci16ci10ZXN0cw==")
        return remote.variant(env={CONNECTION_STRING_ENV: wrong_key})

    @pytest.fixture
    def unreachable(self, remote, azure_blob_server):
        elsewhere = azure_blob_server.connection_string.replace(
            azure_blob_server.blob_endpoint.rsplit("/", 1)[0], unreachable_url())
        return remote.variant(env={CONNECTION_STRING_ENV: elsewhere})

    def test_an_account_key_with_endpoint_url_works_like_a_connection_string(
            self, remote, azure_blob_server, checkouts):
        by_key = remote.variant({"endpoint_url": azure_blob_server.blob_endpoint},
                                {CONNECTION_STRING_ENV: None,
                                 "AZURE_STORAGE_KEY": azure_blob_server.account_key})
        first = checkouts.new(by_key)
        assert first.run("run", "build").returncode == 0
        second = checkouts.new(remote)
        restored = second.run("run", "build")
        assert "build cached" in restored.stderr and not second.ran, restored.output

    def test_no_credentials_at_all_is_one_clear_warning_and_a_local_run(self, remote,
                                                                       checkouts):
        checkout = checkouts.new(remote.variant(env={CONNECTION_STRING_ENV: None}))
        result = checkout.run("run", "build")
        assert_ran_locally_with_one_warning(result, checkout,
                                            f"${CONNECTION_STRING_ENV} is not set")
