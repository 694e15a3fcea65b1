"""The GCS remote cache against gcp-storage-emulator: the shared contract plus
what only GCS has (application default credentials)."""

from __future__ import annotations

import json

import pytest
from zr_plugin_cache_gcs.backend import GcsBackend

from tests.cloud_cache_scenarios import (CloudCacheContract, CloudRemote,
                                         assert_ran_locally_with_one_warning, unreachable_url)

# The emulator logs `"PUT /upload/...&upload_id=... HTTP/1.1" 308` for each
# chunk of a resumable upload that is not the last.
UPLOAD_PART = r'upload_id=\S* HTTP/1\.1" 308'
NO_AMBIENT_GOOGLE = {"GOOGLE_APPLICATION_CREDENTIALS": None, "GOOGLE_CLOUD_PROJECT": None,
                     "CLOUDSDK_CONFIG": "/nonexistent", "NO_GCE_CHECK": "true"}


def service_account_file(path, token_uri: str):
    """A service-account key file whose token endpoint is ``token_uri``:
    google-auth signs a real JWT with it and asks there for a token."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    path.write_text(json.dumps({
        "type": "service_account", "project_id": "zr-test", "private_key_id": "1",
        "private_key": pem, "client_email": "zr-test@zr-test.iam.gserviceaccount.com",
        "client_id": "1", "token_uri": token_uri}))
    return str(path)


class TestGcsCache(CloudCacheContract):
    secret_setting = "private_key"
    sdk_modules = ("google",)

    @pytest.fixture
    def remote(self, gcs_server):
        return CloudRemote(gcs_server, GcsBackend,
                           {"type": "gcs", "bucket": gcs_server.bucket,
                            "project": gcs_server.project},
                           {**NO_AMBIENT_GOOGLE, "STORAGE_EMULATOR_HOST": gcs_server.endpoint_url},
                           UPLOAD_PART)

    @pytest.fixture
    def wrong_credentials(self, remote, gcs_server, tmp_path):
        """Real credentials (not the emulator's anonymous ones) that the token
        service refuses: the emulator answers the token request with an error."""
        key_file = service_account_file(tmp_path / "key.json", gcs_server.endpoint_url + "/token")
        return remote.variant({"endpoint_url": gcs_server.endpoint_url},
                              {"STORAGE_EMULATOR_HOST": None,
                               "GOOGLE_APPLICATION_CREDENTIALS": key_file})

    @pytest.fixture
    def unreachable(self, remote):
        return remote.variant(env={"STORAGE_EMULATOR_HOST": unreachable_url()})

    def test_no_credentials_anywhere_is_one_clear_warning_and_a_local_run(
            self, remote, gcs_server, checkouts, tmp_path):
        missing = remote.variant({"endpoint_url": gcs_server.endpoint_url},
                                 {"STORAGE_EMULATOR_HOST": None,
                                  "GOOGLE_APPLICATION_CREDENTIALS": str(tmp_path / "none.json")})
        checkout = checkouts.new(missing)
        result = checkout.run("run", "build")
        assert_ran_locally_with_one_warning(result, checkout, "no usable Google credentials",
                                            "none.json")
