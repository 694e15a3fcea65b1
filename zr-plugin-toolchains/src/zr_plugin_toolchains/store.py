"""Installed toolchains on disk, and installing one atomically.

Layout, under zr's data dir (``$ZR_HOME/data`` or the XDG data dir)::

    toolchains/<tool>/<version>/            the unpacked toolchain
    toolchains/<tool>/<version>/.zr-installed   metadata, written last
    toolchains/<tool>/.lock-<version>       flock held while installing
    toolchains/<tool>/.tmp-<version>-<rand> an install in progress

and under the cache dir, ``toolchains/downloads/<file>.part``.

An install holds the version's lock from start to finish, so two zr
processes asking for the same version get one download. Inside the lock,
any ``.tmp-<version>-*`` is a leftover of a killed install and is removed;
a ``.part`` is resumed (and verified like a fresh download). The version
dir appears only by ``rename`` of a finished, verified, smoke-tested tree
that already holds its ``.zr-installed``; a dir without it is never used.
"""

from __future__ import annotations

import json
import os
import shutil
import time

from zr.api import ZrError
from zr.api import cache_dir, data_dir

from .versions import parse_version

MARKER = ".zr-installed"


def tools_root() -> str:
    return os.path.join(data_dir(), "toolchains")


def downloads_dir() -> str:
    return os.path.join(cache_dir(), "toolchains", "downloads")


def install_dir(tool: str, version: str) -> str:
    return os.path.join(tools_root(), tool, version)


def installed_metadata(tool: str, version: str) -> dict | None:
    """The ``.zr-installed`` record of a finished install, or None."""
    try:
        with open(os.path.join(install_dir(tool, version), MARKER)) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def installed_versions(tool: str) -> list:
    """Versions of ``tool`` installed completely, as :class:`Version`."""
    try:
        names = os.listdir(os.path.join(tools_root(), tool))
    except OSError:
        return []
    found = []
    for name in names:
        if name.startswith(".") or installed_metadata(tool, name) is None:
            continue
        version = parse_version(name)
        if version is not None:
            found.append(version)
    return found


class VersionLock:
    """An exclusive ``flock`` on one tool@version, held across an install."""

    def __init__(self, tool: str, version: str):
        directory = os.path.join(tools_root(), tool)
        os.makedirs(directory, exist_ok=True)
        self.path = os.path.join(directory, f".lock-{version}")
        self.fd = None

    def __enter__(self):
        import fcntl

        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        import fcntl

        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def clean_leftovers(tool: str, version: str) -> None:
    """Remove what a killed install of ``tool@version`` left (call under its lock)."""
    directory = os.path.join(tools_root(), tool)
    prefix = f".tmp-{version}-"
    for name in os.listdir(directory):
        if name.startswith(prefix):
            shutil.rmtree(os.path.join(directory, name), ignore_errors=True)
    final = install_dir(tool, version)
    if os.path.isdir(final) and installed_metadata(tool, version) is None:
        shutil.rmtree(final, ignore_errors=True)


def uninstall(tool: str, version: str) -> bool:
    """Remove an installed version; False when it was not installed."""
    final = install_dir(tool, version)
    if not os.path.isdir(final):
        return False
    with VersionLock(tool, version):
        # rename first so no reader ever sees a half-deleted toolchain
        doomed = os.path.join(tools_root(), tool, f".tmp-{version}-removing-{os.getpid()}")
        os.rename(final, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
    return True


class Installer:
    """Downloads, verifies, unpacks, smoke-tests and renames one version.

    ``report(message)`` prints one line (``zr: ...``); ``progress`` is a
    :class:`zr_plugin_toolchains.progress.Progress`-like callable factory.
    """

    def __init__(self, report=None, progress=None):
        self.report = report or (lambda message: None)
        self.progress = progress

    def install(self, provider, version: str, artifact, *, official_sha256=None,
                locked_sha256=None, verify: bool = True, fetch_checksum=None) -> str:
        """Install ``provider``'s ``version`` from ``artifact``; its dir.

        ``fetch_checksum()`` returns the official SHA-256 when the artifact
        does not carry it; ``locked_sha256`` is what zr.lock recorded and
        must match too.
        """
        tool = provider.name
        final = install_dir(tool, version)
        if installed_metadata(tool, version) is not None:
            return final
        with VersionLock(tool, version):
            if installed_metadata(tool, version) is not None:
                return final  # another zr installed it while we waited
            clean_leftovers(tool, version)
            started = time.monotonic()
            archive = self._download(tool, version, artifact)
            digest = self._verify(tool, version, artifact, archive, official_sha256,
                                  locked_sha256, verify, fetch_checksum)
            staging = os.path.join(tools_root(), tool,
                                   f".tmp-{version}-{os.getpid()}-{os.urandom(3).hex()}")
            try:
                self._unpack(provider, artifact, archive, staging)
                root = _content_root(staging)
                provider.post_extract(root, _run_checked)
                self._smoke(provider, version, root)
                meta = {"tool": tool, "version": version, "url": artifact.url,
                        "sha256": digest, "installed_at": time.time()}
                with open(os.path.join(root, MARKER), "w") as fh:
                    json.dump(meta, fh)
                os.rename(root, final)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
            os.unlink(archive)
            self.report(f"installed {tool} {version} in {time.monotonic() - started:.1f}s")
        return final

    def _download(self, tool, version, artifact) -> str:
        from . import net

        os.makedirs(downloads_dir(), exist_ok=True)
        part = os.path.join(downloads_dir(), f"{tool}-{version}-{artifact.filename}.part")
        source = net.local_path(artifact.url)
        if source is not None:
            self.report(f"copying {tool} {version} from {source}")
            try:
                shutil.copyfile(source, part)
            except OSError as exc:
                raise net.FetchError(f"{artifact.url}: {exc.strerror}") from None
            return part
        resumed = os.path.exists(part)
        self.report(f"downloading {tool} {version} from {artifact.url}"
                    + (" (resuming)" if resumed else ""))
        meter = self.progress(f"{tool} {version}") if self.progress else None
        try:
            net.download(artifact.url, part, meter)
        finally:
            if meter:
                meter.done()
        return part

    def _verify(self, tool, version, artifact, archive, official, locked, verify,
                fetch_checksum) -> str:
        from .checksums import file_sha256

        digest = file_sha256(archive)
        expected = official or artifact.sha256
        # an artifact known from zr.lock alone is checked against the lock's
        # digest, recorded when it was first installed and verified
        if expected is None and verify and not locked and fetch_checksum is not None:
            expected = fetch_checksum()
        if expected is None and verify and not locked:
            os.unlink(archive)
            raise ZrError(f"{tool} {version}: no official SHA-256 found for {artifact.filename} "
                          f"(looked in {artifact.checksum_url or 'the index'}); refusing to "
                          f'install it. Turn verification off for {tool} with [tools] {tool} = '
                          '{ version = "...", verify = false } if you trust the source')
        if expected is not None and digest != expected:
            os.unlink(archive)
            raise ZrError(f"{tool} {version}: checksum mismatch for {artifact.url}: expected "
                          f"sha256 {expected}, downloaded {digest}; the partial file was "
                          "removed, nothing was installed")
        if locked and digest != locked:
            os.unlink(archive)
            raise ZrError(f"{tool} {version}: {artifact.filename} has sha256 {digest} but "
                          f"zr.lock records {locked}; nothing was installed (if the change is "
                          f"expected, remove the entry from zr.lock)")
        return digest

    def _unpack(self, provider, artifact, archive, staging) -> None:
        from .archive import extract

        if artifact.kind == "file":  # a bare executable
            os.makedirs(os.path.join(staging, "bin"))
            target = os.path.join(staging, "bin", provider.name)
            shutil.copyfile(archive, target)
            os.chmod(target, 0o755)
            return
        try:
            extract(archive, artifact.kind, staging)
        except ZrError:
            os.unlink(archive)
            raise
        except Exception as exc:
            os.unlink(archive)
            raise ZrError(f"{provider.name}: cannot unpack {artifact.filename}: {exc}") from None

    def _smoke(self, provider, version, root) -> None:
        argv = provider.smoke_argv(root)
        if not argv:
            return
        env = dict(os.environ)
        env.update(provider.env(root))
        bins = [os.path.join(root, d) for d in provider.bin_dirs]
        env["PATH"] = os.pathsep.join(bins + [env.get("PATH", "")])
        try:
            _run_checked(argv, env=env)
        except ZrError as exc:
            raise ZrError(f"{provider.name} {version} was unpacked but does not run "
                          f"({exc}); nothing was installed") from None


def _content_root(staging: str) -> str:
    from .archive import content_root

    return content_root(staging)


def _run_checked(argv, *, env=None, cwd=None, timeout: float = 120) -> str:
    """Run a command of an install step; its output, or ZrError."""
    import subprocess

    try:
        done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ZrError(f"`{' '.join(argv)}` failed: {exc}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).decode(errors="replace").strip()[-300:]
        raise ZrError(f"`{' '.join(argv)}` exited {done.returncode}: {tail}")
    return (done.stdout + done.stderr).decode(errors="replace")
