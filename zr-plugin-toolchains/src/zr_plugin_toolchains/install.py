"""Installing one toolchain version atomically, and removing one.

See :mod:`.store` for the layout and the rules: a lock per version, leftovers
of a killed install removed under it, the version dir appearing only by
``rename`` of a verified, smoke-tested tree that holds its ``.zr-installed``.
"""

from __future__ import annotations

import json
import os
import shutil
import time

from zr.api import ZrError

from .store import MARKER, VersionLock, downloads_dir, install_dir, installed_metadata, tools_root


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
                locked_sha256=None, verify: bool = True, fetch_checksum=None,
                signature=None) -> str:
        """Install ``provider``'s ``version`` from ``artifact``; its dir.

        ``fetch_checksum()`` returns the official SHA-256 when the artifact
        does not carry it; ``locked_sha256`` is what zr.lock recorded and
        must match too; ``signature`` (a :class:`~.signatures.Expected`)
        is a minisign signature the archive must carry.
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
            if signature is not None:
                check_signature(tool, version, artifact, archive, signature)
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


def check_signature(tool: str, version: str, artifact, archive: str, expected) -> bytes:
    """Fetch ``expected.url`` and check ``archive`` against it; the
    signature file's bytes. On any failure the archive is removed and the
    ZrError says why."""
    from . import net
    from .signatures import SignatureError, verify_file

    try:
        body = net.fetch(expected.url)
    except net.FetchError as exc:
        os.unlink(archive)
        found = "no minisign signature" if exc.status == 404 else \
            "cannot fetch the minisign signature"
        raise ZrError(f"{tool} {version}: {found} for {artifact.filename} ({exc}); refusing "
                      "to install it unverified. A mirror that does not publish signatures "
                      f"needs verify_signatures = false in [tools] {tool} (unsafe: whoever "
                      "controls the mirror then chooses what runs)") from None
    try:
        verify_file(archive, body.decode(errors="replace"), expected.key, artifact.filename)
    except SignatureError as exc:
        os.unlink(archive)
        raise ZrError(f"{tool} {version}: the minisign signature {expected.url} does not verify "
                      f"{artifact.filename} with {expected.origin}: {exc}; nothing was "
                      "installed") from None
    return body


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
