"""The test mirror server's handle, shared by conftest.py and tests that
start a mirror on a tree of their own (test_real_binaries.py). A module
with a name of its own: under ``--import-mode=importlib`` a test's
``from conftest import ...`` can pick up another directory's conftest."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOOLS = ("node", "go", "zig", "deno", "bun", "python", "rust", "java")


class MirrorServer:
    """One running mirror_server.py; ``url`` is its base."""

    def __init__(self, root: Path, workdir: Path):
        self.root = root
        self.workdir = workdir
        self.log_path = workdir / "requests.log"
        self.proc = None
        self.url = None

    def start(self) -> "MirrorServer":
        port_file = self.workdir / "port"
        if port_file.exists():
            port_file.unlink()
        self.proc = subprocess.Popen([sys.executable, str(HERE / "mirror_server.py"),
                                      str(self.root), str(self.log_path), str(port_file)])
        deadline = time.monotonic() + 15
        while not port_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the test mirror did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{port_file.read_text()}"
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def env(self, **extra) -> dict:
        """ZR_MIRROR_<TOOL> for every toolchain, pointing at this server."""
        env = {f"ZR_MIRROR_{tool.upper()}": f"{self.url}/{tool}" for tool in TOOLS}
        env.update(extra)
        return env

    def fault(self, prefix: str, kind: str, count: int | None = None) -> None:
        query = f"prefix={prefix}&kind={kind}" + (f"&count={count}" if count else "")
        urllib.request.urlopen(f"{self.url}/_fault?{query}", timeout=5).read()

    def requests(self) -> list:
        """``["GET /node/index.json 200", ...]`` since the server started."""
        if not self.log_path.exists():
            return []
        return [line for line in self.log_path.read_text().splitlines()]
