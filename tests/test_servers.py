"""Each real test server answers its real client: a round trip per service.

If one of these fails, every backend test that uses that server is suspect;
fix the server setup (scripts/install-test-services.sh, tests/servers/) first.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_s3_round_trip_with_boto3(s3_server):
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint_url,
        region_name=s3_server.region,
        aws_access_key_id=s3_server.access_key_id,
        aws_secret_access_key=s3_server.secret_access_key,
    )
    client.put_object(Bucket=s3_server.bucket, Key="round/trip", Body=b"s3 payload")

    got = client.get_object(Bucket=s3_server.bucket, Key="round/trip")["Body"].read()

    assert got == b"s3 payload"


def test_azure_blob_round_trip_with_sdk(azure_blob_server):
    from azure.storage.blob import BlobServiceClient

    service = BlobServiceClient.from_connection_string(azure_blob_server.connection_string)
    blob = service.get_blob_client(azure_blob_server.container, "round/trip")
    blob.upload_blob(b"azure payload", overwrite=True)

    assert blob.download_blob().readall() == b"azure payload"


def test_gcs_round_trip_with_sdk(gcs_server):
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    client = storage.Client(
        project=gcs_server.project,
        credentials=AnonymousCredentials(),
        client_options={"api_endpoint": gcs_server.endpoint_url},
    )
    blob = client.bucket(gcs_server.bucket).blob("round/trip")
    blob.upload_from_string(b"gcs payload")

    assert client.bucket(gcs_server.bucket).blob("round/trip").download_as_bytes() == b"gcs payload"


def test_webdav_cache_stores_cas_entries(webdav_cache_server):
    import requests

    payload = b"bazel cas payload"
    url = f"{webdav_cache_server.url}/cas/{hashlib.sha256(payload).hexdigest()}"

    assert requests.head(url, timeout=10).status_code == 404
    assert requests.put(url, data=payload, timeout=10).status_code in (201, 204)
    assert requests.head(url, timeout=10).status_code == 200
    assert requests.get(url, timeout=10).content == payload


def test_turbo_cache_stores_artifacts_for_the_token(turbo_cache_server):
    import requests

    url = f"{turbo_cache_server.url}/v8/artifacts/0123456789abcdef"
    team = {"teamId": turbo_cache_server.team}
    auth = {"Authorization": f"Bearer {turbo_cache_server.token}"}

    put = requests.put(
        url,
        params=team,
        headers={**auth, "Content-Type": "application/octet-stream"},
        data=b"turbo artifact",
        timeout=10,
    )
    got = requests.get(url, params=team, headers=auth, timeout=10)
    refused = requests.get(url, params=team, headers={"Authorization": "Bearer wrong"}, timeout=10)

    assert put.status_code == 200, put.text
    assert got.content == b"turbo artifact"
    assert refused.status_code == 401


def test_killed_server_stops_answering_and_restarts_empty(s3_server):
    import boto3
    from botocore.config import Config
    from botocore.exceptions import EndpointConnectionError

    client = boto3.client(
        "s3",
        endpoint_url=s3_server.endpoint_url,
        region_name=s3_server.region,
        aws_access_key_id=s3_server.access_key_id,
        aws_secret_access_key=s3_server.secret_access_key,
        config=Config(retries={"max_attempts": 1}),
    )
    client.put_object(Bucket=s3_server.bucket, Key="before-crash", Body=b"x")
    old_pid = s3_server.pid

    s3_server.kill()
    with pytest.raises(EndpointConnectionError):
        client.list_objects_v2(Bucket=s3_server.bucket)
    s3_server.restart()

    assert s3_server.pid != old_pid
    assert client.list_objects_v2(Bucket=s3_server.bucket).get("KeyCount") == 0


def test_a_server_killed_by_one_test_is_back_for_the_next(tmp_path):
    (tmp_path / "test_fault.py").write_text(
        textwrap.dedent(
            """
            import urllib.request

            def test_crash_the_server(webdav_cache_server):
                webdav_cache_server.kill()
                assert not webdav_cache_server.is_running()

            def test_the_next_test_finds_it_answering(webdav_cache_server):
                url = webdav_cache_server.url + "/ac/after-crash"
                urllib.request.urlopen(urllib.request.Request(url, data=b"ok", method="PUT"), timeout=10)
                assert urllib.request.urlopen(url, timeout=10).read() == b"ok"
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}

    inner = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.servers", "-p", "no:cacheprovider", "-q", "test_fault.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert inner.returncode == 0, inner.stdout + inner.stderr
    assert "2 passed" in inner.stdout


def test_hanging_server_accepts_and_never_answers(hanging_server):
    with socket.create_connection((hanging_server.host, hanging_server.port), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(0.3)
        with pytest.raises(socket.timeout):
            sock.recv(1)


def test_http_recorder_records_requests_and_answers_as_told(http_recorder):
    import requests

    http_recorder.enqueue(503, "try again")
    http_recorder.respond_with(202, '{"ok": true}', {"Content-Type": "application/json"})

    first = requests.post(f"{http_recorder.url}/hook?run=1", json={"task": "build"}, timeout=10)
    second = requests.post(f"{http_recorder.url}/hook", json={"task": "test"}, timeout=10)

    assert (first.status_code, first.text) == (503, "try again")
    assert (second.status_code, second.json()) == (202, {"ok": True})
    recorded = http_recorder.wait_for_requests(2)
    assert [(r.method, r.path, r.json()) for r in recorded] == [
        ("POST", "/hook", {"task": "build"}),
        ("POST", "/hook", {"task": "test"}),
    ]
    assert recorded[0].query == {"run": ["1"]}
