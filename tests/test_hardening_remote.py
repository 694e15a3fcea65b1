"""A remote cache that trickles, answers binary garbage or has credentials in
its URL, through the real ``zr``: the run is never held beyond the remote's
deadline, signals end it with 130, and no secret or raw byte is printed."""

from __future__ import annotations

import signal
import socket
import threading
import time

import pytest

pytestmark = pytest.mark.crossversion


class TricklingServer:
    """Answers every request on 127.0.0.1 with ``head`` and then one byte of
    body a second, for ever (as long as the client stays)."""

    def __init__(self, head: bytes):
        self.head = head
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connected = threading.Event()
        self.closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closing:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection) -> None:
        try:
            connection.recv(65536)
            self.connected.set()
            connection.sendall(self.head)
            while not self.closing:
                connection.sendall(b"x")
                time.sleep(1)
        except OSError:
            pass
        finally:
            connection.close()

    def close(self) -> None:
        self.closing = True
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()


@pytest.fixture
def trickling():
    servers = []

    def start(head=b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"):
        server = TricklingServer(head)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def project_with_remote(zr_project, url):
    # A byte a second never trips a per-read timeout of 2s: only an overall
    # deadline ends the download.
    zr_project.write(f"""
        [cache]
        remote = {{ type = "http", url = "{url}", timeout = "2s" }}

        [tasks.build]
        cmd = "mkdir -p dist && echo built > dist/out.txt"
        cache = true
        inputs = ["src/**"]
        outputs = ["dist"]
        timeout = "60s"
    """)
    zr_project.file("src/a.txt", "a\n")
    return zr_project


def test_a_trickling_remote_costs_one_bounded_wait_and_a_local_run(zr_project, trickling):
    server = trickling()
    project = project_with_remote(zr_project, f"http://127.0.0.1:{server.port}")
    result = project.run("run", "build", timeout=60)
    assert result.returncode == 0, result.output
    assert "took too long" in result.stderr
    assert (project.path / "dist" / "out.txt").read_text() == "built\n"


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 130)])
def test_a_signal_ends_a_run_waiting_for_a_trickling_remote(zr_project, trickling, signum,
                                                            code):
    server = trickling()
    project = project_with_remote(zr_project, f"http://127.0.0.1:{server.port}")
    # A long remote timeout: only the signal can end the wait early.
    project.write(project.path.joinpath("zr.toml").read_text().replace('"2s"', '"600s"'))
    process = project.popen("run", "build")
    try:
        assert server.connected.wait(30), process.communicate(timeout=5)
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == code, err
    assert "Traceback" not in err


def test_credentials_in_the_remote_url_are_never_printed(zr_project, trickling):
    server = trickling(b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n")
    project = project_with_remote(
        zr_project, f"http://alice:s3cr3t-pw@127.0.0.1:{server.port}/cache")
    result = project.run("run", "build", timeout=60)
    assert result.returncode == 0, result.output
    assert "HTTP 401" in result.stderr
    assert "s3cr3t" not in result.output
    json_result = project.run("run", "build", "--format", "json", "--no-cache", timeout=60)
    assert "s3cr3t" not in json_result.output


def test_a_binary_status_line_is_not_copied_into_messages(zr_project, trickling):
    server = trickling(b"\x00\x01\x02\xfe\xff binary\x1b[31m\r\n\r\n")
    project = project_with_remote(zr_project, f"http://127.0.0.1:{server.port}")
    result = project.run("run", "build", timeout=60)
    assert result.returncode == 0, result.output
    assert "remote cache" in result.stderr
    assert not any(ord(c) < 32 and c not in "\n\t" for c in result.stderr), result.stderr
    assert "\x1b" not in result.stderr


def test_a_trickling_object_store_costs_one_bounded_wait_and_a_local_run(zr_project,
                                                                          trickling):
    pytest.importorskip("zr_plugin_cache_s3")
    server = trickling(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n"
                       b"Content-Type: application/octet-stream\r\n\r\n")
    zr_project.write(f"""
        [cache.remote]
        type = "s3"
        bucket = "zr-cache"
        region = "us-east-1"
        endpoint_url = "http://127.0.0.1:{server.port}"
        timeout = "2s"

        [tasks.build]
        cmd = "mkdir -p dist && echo built > dist/out.txt"
        cache = true
        inputs = ["src/**"]
        outputs = ["dist"]
    """)
    zr_project.file("src/a.txt", "a\n")
    env = {"AWS_ACCESS_KEY_ID": "AKIAZRTEST", "AWS_SECRET_ACCESS_KEY": "not-a-secret",
           "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent", "AWS_CONFIG_FILE": "/nonexistent",
           "AWS_EC2_METADATA_DISABLED": "true"}
    result = zr_project.run("run", "build", env=env, timeout=120)
    assert result.returncode == 0, result.output
    assert "remote cache" in result.stderr and "took longer" in result.stderr
    assert (zr_project.path / "dist" / "out.txt").read_text() == "built\n"


def project_whose_lookup_outlasts_the_task(zr_project, trickling):
    """The remote's own deadline is half an hour and the kill grace two
    minutes: a run that ends well before either was ended by the task's
    cancellation reaching the download."""
    server = trickling()
    project = project_with_remote(zr_project, f"http://127.0.0.1:{server.port}")
    toml = project.path.joinpath("zr.toml").read_text()
    project.write('[settings]\nkill_grace = "120s"\n'
                  + toml.replace('"2s"', '"600s"').replace('"60s"', '"2s"'))
    return server, project


def test_a_task_timeout_ends_its_trickling_remote_lookup(zr_project, trickling):
    server, project = project_whose_lookup_outlasts_the_task(zr_project, trickling)
    process = project.popen("run", "build")
    try:
        out, err = process.communicate(timeout=60)  # the grace alone is 120s
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert server.connected.is_set()
    assert process.returncode == 1, err
    assert "timed out" in err
    assert "remote cache" not in err  # the task's timeout is not the remote's fault
    assert not (project.path / "dist").exists()


def test_ctrl_c_ends_a_trickling_remote_lookup_in_a_task_at_once(zr_project, trickling):
    server, project = project_whose_lookup_outlasts_the_task(zr_project, trickling)
    project.write(project.path.joinpath("zr.toml").read_text().replace(
        'timeout = "2s"\n', 'timeout = "600s"\n'))
    process = project.popen("run", "build")
    try:
        assert server.connected.wait(30), process.communicate(timeout=5)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)  # the grace alone is 120s
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert not (project.path / "dist").exists()
