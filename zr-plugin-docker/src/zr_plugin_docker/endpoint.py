"""Which Docker daemon the CLI will talk to, and whether it answers.

The Docker CLI picks its daemon from ``DOCKER_HOST``, else ``DOCKER_CONTEXT``,
else the ``currentContext`` of ``~/.docker/config.json`` (``DOCKER_CONFIG``
moves that directory), else the default socket. zr resolves the same chain
only to say *where* it looked when the daemon does not answer, and to ping
it cheaply (``GET /_ping`` on the socket costs about a millisecond) before a
task is handed to a daemon that is not there: one clear error naming
``DOCKER_HOST`` instead of the CLI's exit 125.
"""

from __future__ import annotations

import os

DEFAULT_HOST = "unix:///var/run/docker.sock"
PING_TIMEOUT_SECONDS = 3.0


class Endpoint:
    """A daemon address and where it came from (for messages)."""

    __slots__ = ("host", "origin")

    def __init__(self, host: str, origin: str):
        self.host = host
        self.origin = origin

    def describe(self) -> str:
        return f"{self.host} ({self.origin})"


def _config_dir() -> str:
    return os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")


def _context_host(name: str) -> str | None:
    """The docker endpoint of context ``name`` (its metadata is stored under
    the SHA-256 of its name, as the CLI does)."""
    import hashlib
    import json

    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = os.path.join(_config_dir(), "contexts", "meta", digest, "meta.json")
    try:
        with open(meta, encoding="utf-8") as fh:
            return json.load(fh)["Endpoints"]["docker"]["Host"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _current_context() -> str | None:
    try:
        with open(os.path.join(_config_dir(), "config.json"), encoding="utf-8") as fh:
            text = fh.read()
    except OSError:
        return None
    if "currentContext" not in text:  # most config.json files (credentials only)
        return None
    import json  # only then: a cached image task need not import it

    try:
        return json.loads(text).get("currentContext") or None
    except (ValueError, AttributeError):
        return None


def resolve(env=None) -> Endpoint:
    """The endpoint the Docker CLI would use with environment ``env``."""
    env = os.environ if env is None else env
    if env.get("DOCKER_HOST"):
        return Endpoint(env["DOCKER_HOST"], "from DOCKER_HOST")
    context = env.get("DOCKER_CONTEXT") or _current_context()
    if context and context != "default":
        host = _context_host(context)
        if host:
            return Endpoint(host, f"docker context {context!r}; DOCKER_HOST is not set")
    return Endpoint(DEFAULT_HOST, "the default socket; DOCKER_HOST is not set")


def ping(endpoint: Endpoint) -> str | None:
    """None when the daemon answers, else why not (one line).

    Only ``unix://`` and ``tcp://`` endpoints are pinged; any HTTP answer
    counts (a TLS port answers plain HTTP with 400, which still proves a
    daemon). Other schemes (``ssh://``, ``npipe://``) are left to the CLI.
    """
    import socket

    host = endpoint.host
    try:
        if host.startswith("unix://"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(PING_TIMEOUT_SECONDS)
            sock.connect(host[len("unix://"):])
        elif host.startswith("tcp://"):
            address = host[len("tcp://"):].split("/")[0]
            name, _, port = address.rpartition(":")
            sock = socket.create_connection((name.strip("[]"), int(port)),
                                            timeout=PING_TIMEOUT_SECONDS)
        else:
            return None
    except FileNotFoundError:
        return "no such socket"
    except (OSError, ValueError) as exc:
        return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    try:
        with sock:
            sock.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
            answer = sock.recv(64)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None if answer.startswith(b"HTTP/") else "it does not speak HTTP"


def unreachable_message(endpoint: Endpoint, reason: str) -> str:
    return (f"cannot reach the Docker daemon at {endpoint.describe()}: {reason}. "
            "Start the daemon, or point DOCKER_HOST at one that runs "
            "(e.g. DOCKER_HOST=unix:///run/user/1000/docker.sock).")


def check(env=None) -> str | None:
    """None when the daemon answers, else the one-paragraph error for the user."""
    endpoint = resolve(env)
    reason = ping(endpoint)
    return None if reason is None else unreachable_message(endpoint, reason)
