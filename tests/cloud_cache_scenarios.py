"""What every object-store remote cache (S3, GCS, Azure Blob) must do, as tests.

Each store's test module subclasses :class:`CloudCacheContract` and provides
three fixtures describing its real server (tests/servers/): ``remote`` (a
:class:`CloudRemote` that works), ``wrong_credentials`` and ``unreachable``
(variants of it that must fail). The contract then runs the real ``zr``
in temporary checkouts against that server: a second checkout restores
instead of running, a 200 MB output streams with bounded memory, uploads
cut off halfway leave nothing a later run restores, faults are one
warning and a local run, signatures are checked, a bad entry is a miss
and is deleted, secrets in zr.toml are refused, and ``zr list`` never
imports the SDK.

Every test uses its own ``prefix``, so tests sharing a session server never
see each other's entries.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, Optional

import pytest
from zr.testing import Result, ZrProject, zr_executable

from tests.servers.process import free_port

MB = 1000 * 1000
LARGE_OUTPUT = 200 * MB
# Big enough that its upload is many parts long, small enough to be quick.
INTERRUPTED_OUTPUT = 48 * MB
# Peak RSS allowed for a zr process moving a 200 MB entry: the interpreter,
# the SDK and a few 8 MiB parts. Holding the entry in memory would need more
# than 200 MB.
MEMORY_CEILING = 120 * MB
PART_WAIT_SECONDS = 60.0
SIGNING_ENV = "ZR_TEST_SIGNING_KEY"
# Set, the build fails after marking that it ran. Inherited, so not in the
# cache key: a failed run uploads nothing, so the remote then holds only
# what the lookup left there.
FAIL_ENV = "ZR_TEST_FAIL_BUILD"

PROJECT = """
[cache]
{cache_settings}

[cache.remote]
{remote}

[tasks.build]
cmd = '''
echo ran > ran.marker
test -z "$ZR_TEST_FAIL_BUILD" || exit 3
mkdir -p out
head -c {size} /dev/urandom > out/data.bin
echo "built $(cat src/input.txt)"
'''
cache = true
inputs = ["src/**"]
outputs = ["out/**"]

[tasks.hello]
cmd = "echo hello"
"""

# Runs a command and prints the peak RSS (KiB) of its process tree's largest
# member: zr itself (its task, `head`, is tiny).
PEAK_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[1:])\n"
    "print('peak-rss-kib', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
    " file=sys.stderr)\n"
    "sys.exit(code)\n")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


class CloudRemote:
    """A remote cache on a real server: its ``[cache.remote]`` table, the
    environment with its credentials, the server, and the backend class.

    ``upload_part`` matches the line the server logs when it has accepted
    one part of a multi-part upload (an S3 part, a GCS resumable chunk, an
    Azure block): the moment an upload is known to be halfway.
    """

    def __init__(self, server, backend_class, table: Dict[str, object],
                 env: Dict[str, Optional[str]], upload_part: str):
        self.server = server
        self.backend_class = backend_class
        self.table = {"prefix": f"test-{uuid.uuid4().hex[:12]}", "timeout": "10s", **table}
        self.env = env
        self.upload_part = re.compile(upload_part)

    def variant(self, table: Optional[dict] = None, env: Optional[dict] = None) -> "CloudRemote":
        """The same remote with some settings or variables changed (None unsets)."""
        other = CloudRemote.__new__(CloudRemote)
        other.__dict__.update(self.__dict__)
        other.table = {**self.table, **(table or {})}
        other.env = {**self.env, **(env or {})}
        return other

    @property
    def kind(self) -> str:
        return str(self.table["type"])

    def toml(self) -> str:
        return "\n".join(f"{key} = {toml_value(value)}" for key, value in self.table.items())

    def backend(self, monkeypatch, **settings):
        """The plugin's backend in this process, as the cache plugin makes it."""
        for name, value in self.env.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        from zr.units import parse_duration

        table = {**self.table, **settings}
        table["timeout"] = parse_duration(table["timeout"])
        return self.backend_class(table, None)

    def log_size(self) -> int:
        return self.server.process.log_path.stat().st_size

    def wait_for_upload_part(self, since: int, deadline: float = PART_WAIT_SECONDS) -> None:
        """Return once the server has logged an accepted upload part after offset ``since``."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            with open(self.server.process.log_path, "rb") as log:
                log.seek(since)
                if self.upload_part.search(log.read().decode("utf-8", "replace")):
                    return
            time.sleep(0.02)
        raise AssertionError(f"{self.server.process.name} logged no upload part within "
                             f"{deadline:.0f}s:\n{self.server.process.log_tail()}")


class Checkout(ZrProject):
    """One checkout of the test project (``zr.testing.Checkouts``)."""

    @property
    def ran(self) -> bool:
        return (self.path / "ran.marker").exists()

    def output_bytes(self) -> bytes:
        return (self.path / "out" / "data.bin").read_bytes()

    def run_measured(self, *args: str, timeout: float = 300):
        """Run zr; the result and zr's peak RSS in bytes."""
        proc = subprocess.run([sys.executable, "-c", PEAK_RSS_WRAPPER, zr_executable(), *args],
                              cwd=self.path, env=self.env, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        lines = proc.stderr.splitlines()
        peak = int(lines[-1].split()[1]) * 1024
        return Result(proc.returncode, proc.stdout, "\n".join(lines[:-1]) + "\n"), peak


class CloudCheckouts:
    """Checkouts of the test project using one remote: same inputs, own local cache."""

    def __init__(self, checkouts):
        self.checkouts = checkouts

    def new(self, remote: CloudRemote, *, size: int = 1000, cache_settings: str = "") -> Checkout:
        return self.checkouts.new(
            PROJECT.format(remote=remote.toml(), size=size, cache_settings=cache_settings),
            {"src/input.txt": "v1"}, env=remote.env, project_class=Checkout)


def warnings_in(result) -> list:
    return [line for line in result.stderr.splitlines() if line.startswith("zr: warning")]


def assert_ran_locally_with_one_warning(result, checkout: Checkout, *expected: str) -> None:
    """The run passed, the task ran here, and zr said once what is wrong."""
    assert result.returncode == 0, result.output
    assert checkout.ran
    assert "build | built v1" in result.stdout
    warnings = warnings_in(result)
    assert len(warnings) == 1, result.stderr
    for text in expected:
        assert text in warnings[0], warnings[0]


class CloudCacheContract:
    """The tests every object-store remote passes; see the module docstring."""

    #: A setting whose name says it is a credential, for the zr validate test.
    secret_setting = "secret_access_key"
    #: Top-level modules of the SDK, which `zr list` must not import.
    sdk_modules: tuple = ()

    @pytest.fixture
    def checkouts(self, checkouts) -> CloudCheckouts:
        """zr.testing's ``checkouts``, of the test project."""
        return CloudCheckouts(checkouts)

    # -- sharing ---------------------------------------------------------------

    def test_a_second_checkout_restores_from_the_remote_and_runs_nothing(self, remote,
                                                                          checkouts):
        first = checkouts.new(remote)
        built = first.run("run", "build")
        assert built.returncode == 0, built.output
        assert warnings_in(built) == []

        second = checkouts.new(remote)
        restored = second.run("run", "build")
        assert restored.returncode == 0, restored.output
        assert "build cached" in restored.stderr
        assert "build | built v1" in restored.stdout  # the log, replayed
        assert not second.ran
        assert second.output_bytes() == first.output_bytes()
        assert warnings_in(restored) == []

    def test_a_200_mb_output_round_trips_with_bounded_memory(self, remote, checkouts):
        first = checkouts.new(remote, size=LARGE_OUTPUT)
        built, upload_peak = first.run_measured("run", "build")
        assert built.returncode == 0, built.output
        assert warnings_in(built) == []

        second = checkouts.new(remote, size=LARGE_OUTPUT)
        restored, download_peak = second.run_measured("run", "build")
        assert restored.returncode == 0, restored.output
        assert "build cached" in restored.stderr and not second.ran
        assert warnings_in(restored) == []
        assert (second.path / "out" / "data.bin").stat().st_size == LARGE_OUTPUT
        assert _same_file(first.path / "out" / "data.bin", second.path / "out" / "data.bin")
        assert upload_peak < MEMORY_CEILING, f"uploading: peak RSS {upload_peak / MB:.0f} MB"
        assert download_peak < MEMORY_CEILING, f"restoring: peak RSS {download_peak / MB:.0f} MB"

    def test_signed_entries_are_restored_only_with_the_same_key(self, remote, checkouts):
        signed = 'signing_key_env = "ZR_TEST_SIGNING_KEY"'
        first = checkouts.new(remote, cache_settings=signed)
        assert first.run("run", "build", env={SIGNING_ENV: "k1"}).returncode == 0

        same_key = checkouts.new(remote, cache_settings=signed)
        restored = same_key.run("run", "build", env={SIGNING_ENV: "k1"})
        assert "build cached" in restored.stderr and not same_key.ran, restored.output

        other_key = checkouts.new(remote, cache_settings=signed)
        refused = other_key.run("run", "build", env={SIGNING_ENV: "k2"})
        assert_ran_locally_with_one_warning(refused, other_key, "signature does not match")

    @pytest.mark.parametrize("kind", ["corrupt", "unsigned"])
    def test_a_bad_entry_is_a_miss_and_is_deleted_from_the_store(self, remote, checkouts,
                                                                 monkeypatch, tmp_path, kind):
        signed = 'signing_key_env = "ZR_TEST_SIGNING_KEY"' if kind == "unsigned" else ""
        env = {SIGNING_ENV: "k1"} if signed else {}
        checkout = checkouts.new(remote, cache_settings=signed)
        key = checkout.run("cache", "key", "build", env=env).stdout.strip()
        planted = tmp_path / "planted"
        planted.write_bytes(b"<html>502 Bad Gateway</html>")
        backend = remote.backend(monkeypatch)  # no signing key: an unsigned entry
        backend.put(key, planted)

        missed = checkout.run("run", "build", env={**env, FAIL_ENV: "1"})
        assert missed.returncode == 1 and checkout.ran, missed.output
        warnings = warnings_in(missed)
        assert len(warnings) == 1 and key in warnings[0], missed.stderr
        assert "removed it from the remote" in warnings[0], warnings[0]
        assert backend.get(key) is None, "the bad entry is gone"

        built = checkout.run("run", "build", env=env)
        assert built.returncode == 0 and warnings_in(built) == [], built.output
        other = checkouts.new(remote, cache_settings=signed)
        restored = other.run("run", "build", env=env)
        assert "build cached" in restored.stderr and not other.ran, restored.output

    # -- faults ----------------------------------------------------------------

    def test_an_upload_cut_off_halfway_leaves_no_entry(self, remote, checkouts, monkeypatch):
        first = checkouts.new(remote, size=INTERRUPTED_OUTPUT)
        key = first.run("cache", "key", "build").stdout.strip()
        since = remote.log_size()
        zr = first.popen("run", "build")
        try:
            remote.wait_for_upload_part(since)
        finally:
            os.killpg(zr.pid, signal.SIGKILL)
            zr.communicate()

        assert remote.backend(monkeypatch).get(key) is None
        # read_only: this checkout must not upload the entry the test looks for.
        second = checkouts.new(remote, size=INTERRUPTED_OUTPUT, cache_settings="read_only = true")
        rebuilt = second.run("run", "build")
        assert rebuilt.returncode == 0, rebuilt.output
        assert second.ran and warnings_in(rebuilt) == []

    def test_the_server_dying_mid_upload_is_one_warning_and_the_build_passes(
            self, remote, checkouts):
        first = checkouts.new(remote, size=INTERRUPTED_OUTPUT)
        since = remote.log_size()
        killer = threading.Thread(target=lambda: (remote.wait_for_upload_part(since),
                                                  remote.server.kill()))
        killer.start()
        try:
            built = first.run("run", "build")
        finally:
            killer.join()
        assert_ran_locally_with_one_warning(built, first, "failed to upload")

    def test_a_missing_bucket_is_one_clear_warning_and_a_local_run(self, remote, checkouts):
        missing = remote.variant({remote.backend_class.spec.container_setting: "zr-no-such-bucket"})
        checkout = checkouts.new(missing)
        result = checkout.run("run", "build")
        assert_ran_locally_with_one_warning(result, checkout,
                                            "'zr-no-such-bucket' does not exist")

    def test_wrong_credentials_are_one_clear_warning_and_a_local_run(self, wrong_credentials,
                                                                    checkouts):
        checkout = checkouts.new(wrong_credentials)
        result = checkout.run("run", "build")
        assert_ran_locally_with_one_warning(result, checkout, "credentials were refused")

    def test_an_unreachable_endpoint_is_one_clear_warning_and_a_local_run(self, unreachable,
                                                                         checkouts):
        checkout = checkouts.new(unreachable)
        result = checkout.run("run", "build")
        assert_ran_locally_with_one_warning(result, checkout, "cannot connect to")

    # -- check() ---------------------------------------------------------------

    def test_check_writes_reads_and_deletes_a_probe(self, remote, monkeypatch):
        backend = remote.backend(monkeypatch)
        assert backend.check() == []

    def test_check_says_what_is_wrong(self, remote, wrong_credentials, unreachable,
                                      monkeypatch):
        container = remote.backend_class.spec.container_setting
        missing = remote.backend(monkeypatch, **{container: "zr-no-such-bucket"}).check()
        assert len(missing) == 1 and "'zr-no-such-bucket' does not exist" in missing[0], missing
        refused = wrong_credentials.backend(monkeypatch).check()
        assert len(refused) == 1 and "credentials were refused" in refused[0], refused
        cut_off = unreachable.backend(monkeypatch).check()
        assert len(cut_off) == 1 and "cannot connect to" in cut_off[0], cut_off

    def test_zr_cache_remote_check_says_ok_or_what_is_wrong(self, remote, checkouts):
        checkout = checkouts.new(remote)
        good = checkout.run("cache", "remote", "check")
        assert good.returncode == 0, good.output
        assert good.stdout.startswith(f"ok: {remote.kind} "), good.stdout
        assert good.stdout.endswith(": wrote, read back and deleted a probe object\n")

        container = remote.backend_class.spec.container_setting
        broken = checkouts.new(remote.variant({container: "zr-no-such-bucket"}))
        refused = broken.run("cache", "remote", "check")
        assert refused.returncode == 1, refused.output
        assert refused.stderr.startswith(f"zr: error: cannot write {remote.table['prefix']}/")
        assert "'zr-no-such-bucket' does not exist" in refused.stderr

    # -- configuration ----------------------------------------------------------

    def test_a_secret_in_zr_toml_is_a_config_error(self, remote, checkouts):
        checkout = checkouts.new(remote.variant({self.secret_setting: "hunter2"}))
        for command in (["validate"], ["run", "build"]):
            refused = checkout.run(*command)
            assert refused.returncode == 2, refused.output
            assert f"cache.remote.{self.secret_setting}: secrets do not belong in zr.toml " \
                   f"('{self.secret_setting}' looks like one" in refused.stderr
            assert "hunter2" not in refused.output
        assert not checkout.ran

    def test_a_misspelt_or_missing_setting_is_a_config_error(self, remote, checkouts):
        misspelt = checkouts.new(remote.variant({"prefx": "ci"}))
        shown = misspelt.run("validate")
        assert shown.returncode == 2, shown.output
        unknown = f"unknown setting 'prefx' for remote type \"{remote.kind}\""
        assert f"{unknown} (did you mean 'prefix'?)" in shown.stderr
        assert "zr.toml:" in shown.stderr and "cache.remote.prefx" in shown.stderr

        container = remote.backend_class.spec.container_setting
        missing = checkouts.new(remote.variant({container: ""}))
        refused = missing.run("run", "build")
        assert refused.returncode == 2 and not missing.ran, refused.output
        assert f'the {remote.kind} remote cache needs {container} = "..."' in refused.stderr

    def test_the_sdk_is_imported_only_to_talk_to_the_remote(self, remote, checkouts):
        checkout = checkouts.new(remote)
        assert checkout.run("run", "build").returncode == 0
        # list, a task without cache, and a hit in the local store: no remote call.
        for args in (["list"], ["run", "hello"], ["run", "build"]):
            proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "zr", *args],
                                  cwd=checkout.path, env=checkout.env, capture_output=True,
                                  text=True, timeout=60)
            assert proc.returncode == 0, proc.stderr
            imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                        for line in proc.stderr.splitlines() if line.startswith("import time:")}
            assert "zr" in imported  # importtime did report
            assert imported.isdisjoint(self.sdk_modules), sorted(
                imported.intersection(self.sdk_modules))


def unreachable_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


def _same_file(a: Path, b: Path) -> bool:
    with open(a, "rb") as left, open(b, "rb") as right:
        for chunk in iter(lambda: left.read(1 << 20), b""):
            if right.read(len(chunk)) != chunk:
                return False
        return right.read(1) == b""
