"""The cache key is computed from what really runs (the final process plan):
arguments after ``--``, ``--env`` values, parameters and a plugin's plan
changes each make another key, so a hit never replays another variant's
outputs and log; and a slow remote lookup runs off the loop, so other
tasks' output is not held up while it waits."""

import os
import re
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from zr.testing import zr_executable

pytestmark = pytest.mark.crossversion

VARIANT_PROJECT = """
[env]
TEST_ID = "{test_id}"

[tasks.build]
cmd = 'echo "variant ${{MODE:-none}} ${{args}}" | tee out.txt; echo run >> "{counter}"'
cache = true
inputs = ["src/**"]
outputs = ["out.txt"]

[tasks.deploy]
params = {{ region = {{ default = "eu" }} }}
cmd = 'echo "deploy to ${{params.region}}" | tee out.txt; echo run >> "{counter}"'
cache = true
inputs = ["src/**"]
outputs = ["out.txt"]
"""


@pytest.fixture
def project(checkouts):
    return checkouts.checkouts.new(
        VARIANT_PROJECT.format(test_id=checkouts.test_id, counter=checkouts.counter),
        {"src/main.txt": "hello\n"})


def output_of(project) -> str:
    return (project.path / "out.txt").read_text()


def test_arguments_after_double_dash_are_part_of_the_key(project, checkouts):
    release = project.run("run", "build", "--", "--release")
    assert "variant none --release" in release.stdout
    debug = project.run("run", "build", "--", "--debug")
    assert "build cached" not in debug.stderr
    assert "variant none --debug" in debug.stdout and output_of(project).endswith("--debug\n")
    again = project.run("run", "build", "--", "--release")
    assert "build cached" in again.stderr
    assert "variant none --release" in again.stdout  # the right log replayed
    assert output_of(project).endswith("--release\n")  # and the right outputs restored
    assert checkouts.runs() == 2


def test_env_values_are_part_of_the_key(project, checkouts):
    assert "variant release" in project.run("run", "build", "-e", "MODE=release").stdout
    debug = project.run("run", "build", "-e", "MODE=debug")
    assert "build cached" not in debug.stderr and "variant debug" in debug.stdout
    again = project.run("run", "build", "-e", "MODE=release")
    assert "build cached" in again.stderr and output_of(project) == "variant release \n"
    assert checkouts.runs() == 2


def test_parameters_are_part_of_the_key(project, checkouts):
    assert "deploy to eu" in project.run("run", "deploy").stdout
    us = project.run("run", "deploy", "region=us")
    assert "cached" not in us.stderr and "deploy to us" in us.stdout
    again = project.run("run", "deploy")
    assert "cached" in again.stderr and output_of(project) == "deploy to eu\n"
    assert checkouts.runs() == 2


def test_key_explain_shows_the_plan(project):
    explained = project.run("cache", "key", "build", "--explain")
    assert explained.returncode == 0, explained.output
    lines = explained.stdout.splitlines()
    assert re.fullmatch(r"[0-9a-f]{64}", lines[0])
    command = next(line for line in lines if line.strip().startswith("command"))
    assert '"sh", "-e", "-c"' in command and "variant" in command
    env = next(line for line in lines if line.strip().startswith("env "))
    assert "TEST_ID" in env and "ZR_PROJECT_ROOT" not in env
    assert "PATH" not in env  # inherited, not declared: not in the key


# -- a slow remote does not hold up other tasks' output ----------------------


class SlowCacheServer:
    """A Bazel-style HTTP cache on 127.0.0.1 that answers every GET with a
    miss once ``release`` is set (at the latest after ``delay`` seconds), and
    remembers when it answered. Held until the test has seen what it waits
    for, rather than for a fixed time, so a loaded machine cannot make the
    answer come first."""

    def __init__(self, delay: float):
        self.answered_at: list = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.release.wait(delay)
                server.answered_at.append(time.time())
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_PUT(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self._http.server_address[1]
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    def close(self):
        self._http.shutdown()
        self._http.server_close()


@pytest.fixture
def slow_cache_server():
    server = SlowCacheServer(delay=20.0)  # below the client's 30 s timeout
    try:
        yield server
    finally:
        server.close()


def test_a_slow_remote_lookup_does_not_hold_up_another_tasks_output(checkouts,
                                                                      slow_cache_server):
    project = checkouts.new(f"""
        [cache]
        remote = {{ type = "http", url = "{slow_cache_server.url}", timeout = "30s" }}

        [tasks.ticker]
        cmd = "for i in 1 2 3 4 5; do echo tick $i; sleep 0.2; done"
    """)
    proc = subprocess.Popen([zr_executable(), "run", "build", "ticker", "--parallel", "-j", "2",
                             "--no-color"],
                            cwd=project.path, env=project.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    arrivals = []  # (time the line reached us, line)
    for raw in proc.stdout:
        arrivals.append((time.time(), raw.decode().rstrip("\n")))
        if arrivals[-1][1].endswith("| tick 5"):  # the lookup may answer now
            slow_cache_server.release.set()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert len(slow_cache_server.answered_at) == 1, "build looked up the remote once"
    answered = slow_cache_server.answered_at[0]
    ticks = [(at, line) for at, line in arrivals if re.match(r"ticker\s+\| tick", line)]
    built = [at for at, line in arrivals if re.match(r"build\s+\| compiling", line)]
    assert len(ticks) == 5 and built
    # Every tick reached the terminal while the lookup was still waiting for
    # the server; build itself ran after the miss.
    assert all(at < answered for at, _ in ticks), (answered, arrivals)
    assert built[0] > answered
    assert checkouts.runs() == 1
