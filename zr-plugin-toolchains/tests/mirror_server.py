"""A toolchain mirror for the tests: a static file server on 127.0.0.1 with
fault switches and a request log.

Run as ``python mirror_server.py ROOT LOGFILE PORTFILE``. It serves ROOT
with ``Range`` support (206), appends one line per request to LOGFILE
(``GET /node/index.json 200``), and writes its port to PORTFILE when ready.

Faults are set per path prefix with ``GET /_fault?prefix=/node/v20&kind=K&count=N``
(``count`` requests are affected, default all) and cleared with
``/_reset``. Kinds: ``404``; ``500`` (then the real answer once the count
is spent); ``truncate`` (a correct Content-Length, half the body, then the
connection closes); ``wrong`` (same length, different bytes); ``hang``
(no answer for a minute); ``norange`` (``Range`` ignored: 200 and the whole
body, as ``python -m http.server``); ``stall`` (half the body, then
nothing: for killing the server mid-download).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import urllib.parse
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

FAULTS: list = []  # [prefix, kind, remaining or None]
LOCK = threading.Lock()


class Handler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # the log file is the record
        pass

    def _log(self, status) -> None:
        with open(self.server.log_path, "a") as fh:
            fh.write(f"{self.command} {self.path} {status}\n")

    def _fault(self, path: str):
        with LOCK:
            for fault in FAULTS:
                prefix, kind, remaining = fault
                if path.startswith(prefix) and (remaining is None or remaining > 0):
                    if remaining is not None:
                        fault[2] -= 1
                    return kind
        return None

    def _control(self, parsed) -> None:
        query = dict(urllib.parse.parse_qsl(parsed.query))
        with LOCK:
            if parsed.path == "/_reset":
                FAULTS.clear()
            else:
                count = int(query["count"]) if "count" in query else None
                FAULTS.append([query["prefix"], query["kind"], count])
        self._send(200, b"ok\n")

    def _send(self, status: int, body: bytes, headers=None) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path in ("/_fault", "/_reset"):
            return self._control(parsed)
        path = urllib.parse.unquote(parsed.path)
        fault = self._fault(path)
        if fault == "hang":
            self._log("hang")
            time.sleep(60)
            return
        if fault == "404":
            self._log(404)
            return self._send(404, b"not found (fault)\n")
        if fault == "500":
            self._log(500)
            return self._send(500, b"server error (fault)\n")
        local = os.path.join(self.server.root, path.lstrip("/"))
        if not os.path.isfile(local):
            self._log(404)
            return self._send(404, b"not found\n")
        with open(local, "rb") as fh:
            body = fh.read()
        start = 0
        ranged = self.headers.get("Range", "")
        if ranged.startswith("bytes=") and fault != "norange":
            start = int(ranged[6:].split("-")[0] or 0)
        if fault == "wrong":
            body = bytes(b ^ 0x5A for b in body)
        if start:
            self._log(206)
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            body = body[start:]
        else:
            self._log(200)
            self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if fault in ("truncate", "stall"):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            if fault == "stall":
                time.sleep(60)
            self.close_connection = True
            return
        self.wfile.write(body)


def main() -> None:
    root, log_path, port_file = sys.argv[1:4]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.root = root
    server.log_path = log_path
    tmp = port_file + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(str(server.server_address[1]))
    os.replace(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
