"""The S3 remote cache against moto_server: the shared contract plus what only S3 has."""

from __future__ import annotations

import pytest
from zr_plugin_cache_s3.backend import S3Backend

from tests.cloud_cache_scenarios import (CloudCacheContract, CloudRemote,
                                         assert_ran_locally_with_one_warning, unreachable_url)
from tests.servers.process import ServerProcess, free_port
from tests.servers.programs import python_script

# moto logs `"PUT /bucket/name?uploadId=...&partNumber=2 HTTP/1.1" 200` per part.
UPLOAD_PART = r'[?&]partNumber=\d+\S* HTTP/1\.1" 200'
# Nothing from the machine running the tests may reach boto3's credential chain.
NO_AMBIENT_AWS = {"AWS_PROFILE": None, "AWS_SESSION_TOKEN": None, "AWS_ENDPOINT_URL": None,
                  "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent",
                  "AWS_EC2_METADATA_DISABLED": "true"}


@pytest.fixture(scope="module")
def s3_server_checking_credentials(tmp_path_factory):
    """A moto_server that authenticates requests (the session one accepts any
    key): unknown access keys are refused as S3 refuses them."""
    port = free_port()
    server = ServerProcess("moto_server-auth",
                           [python_script("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                           workdir=tmp_path_factory.mktemp("moto_auth"),
                           ready_url=f"http://127.0.0.1:{port}/",
                           env={"INITIAL_NO_AUTH_ACTION_COUNT": "0"})
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class TestS3Cache(CloudCacheContract):
    secret_setting = "aws_secret_access_key"
    sdk_modules = ("boto3", "botocore", "s3transfer")

    @pytest.fixture
    def remote(self, s3_server):
        return CloudRemote(
            s3_server, S3Backend,
            {"type": "s3", "bucket": s3_server.bucket, "region": s3_server.region,
             "endpoint_url": s3_server.endpoint_url},
            {**NO_AMBIENT_AWS, "AWS_ACCESS_KEY_ID": s3_server.access_key_id,
             "AWS_SECRET_ACCESS_KEY": s3_server.secret_access_key},
            UPLOAD_PART)

    @pytest.fixture
    def wrong_credentials(self, remote, s3_server_checking_credentials):
        return remote.variant({"endpoint_url": s3_server_checking_credentials},
                              {"AWS_ACCESS_KEY_ID": "AKIAZRTESTWRONGKEY00",
                               "AWS_SECRET_ACCESS_KEY": "not-the-secret"})

    @pytest.fixture
    def unreachable(self, remote):
        return remote.variant({"endpoint_url": unreachable_url()})

    def test_no_credentials_anywhere_is_one_clear_warning_and_a_local_run(self, remote,
                                                                         checkouts):
        anonymous = remote.variant(env={"AWS_ACCESS_KEY_ID": None,
                                        "AWS_SECRET_ACCESS_KEY": None})
        checkout = checkouts.new(anonymous)
        result = checkout.run("run", "build")
        assert_ran_locally_with_one_warning(result, checkout, "no AWS credentials found")

    def test_an_unknown_profile_is_named(self, remote, monkeypatch):
        problems = remote.backend(monkeypatch, profile="zr-no-such-profile").check()
        assert len(problems) == 1 and "'zr-no-such-profile' does not exist" in problems[0]
