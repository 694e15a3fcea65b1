"""nginx as a test server: one config preamble and one command line for
every fixture that puts nginx in front of something (WebDAV, git smart HTTP).

The preamble keeps nginx to one process with no workers, so it dies with
the test run even when pytest is killed and writes files as the user
running the tests; its pid file, logs and temp paths all live in the
fixture's own directory, so no root privileges are needed.
"""

from __future__ import annotations

from pathlib import Path

from .programs import system_program

PREAMBLE = """\
daemon off;
master_process off;
pid {workdir}/nginx.pid;
error_log stderr info;

events {{
    worker_connections 256;
}}

http {{
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/client_body_temp;
    proxy_temp_path {workdir}/proxy_temp;
    fastcgi_temp_path {workdir}/fastcgi_temp;
    uwsgi_temp_path {workdir}/uwsgi_temp;
    scgi_temp_path {workdir}/scgi_temp;
    client_max_body_size 0;
    default_type application/octet-stream;

    server {{
        listen 127.0.0.1:{port};
"""


def write_config(workdir: Path, port: int, server_body: str) -> Path:
    """``nginx.conf`` in ``workdir``: the preamble, then ``server_body``
    (the ``server`` block's directives, already formatted) and the braces
    that close it."""
    config = workdir / "nginx.conf"
    config.write_text(PREAMBLE.format(workdir=workdir, port=port) + server_body
                      + "    }\n}\n")
    return config


def nginx_command(workdir: Path, config: Path) -> list:
    """The command line that serves ``config`` from ``workdir``.

    Without ``-e stderr`` nginx first opens its built-in
    /var/log/nginx/error.log; on stderr, its messages land in the log that
    a failure shows.
    """
    return [system_program("nginx"), "-p", str(workdir), "-c", str(config), "-e", "stderr"]
