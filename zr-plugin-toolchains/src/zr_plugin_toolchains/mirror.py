"""``zr tools mirror DIR TOOL@VERSION...``: a directory in upstream layout.

For each toolchain it writes the index documents zr read to resolve the
version, the archive for each platform (verified as an install is) and
its checksum file and minisign signature, at the paths upstream uses, under ``DIR/<tool>/``. Any
static file server (or the directory itself: ``ZR_MIRROR_NODE=DIR/node``)
then serves it to machines without internet.
"""

from __future__ import annotations

import os
import shutil

from zr.api import UsageError, ZrError

from .checksums import file_sha256
from .provider import Platform, UnsupportedPlatform
from .versions import parse_spec


def _platform(text: str) -> Platform:
    os_name, sep, arch = text.partition("-")
    if not sep or not arch:
        raise UsageError(f"--platform expects OS-ARCH such as linux-x86_64, got '{text}'")
    return Platform(os_name, arch)


def _place(remote, url: str, directory: str, tool: str) -> str:
    rel = remote.relative_path(url)
    if rel is None:
        raise ZrError(f"{url} is not under the {tool} download base {remote.base}; "
                      "it cannot be placed in a mirror")
    from urllib.parse import unquote

    target = os.path.join(directory, tool, *unquote(rel).split("/"))
    os.makedirs(os.path.dirname(target), exist_ok=True)
    return target


def fill_mirror(context, directory: str, requirements: list, platforms) -> list:
    from . import net
    from zr.api import atomic_write

    targets = [_platform(p) for p in platforms] or [Platform()]
    toolbox = context.toolbox
    lines = []
    for requirement in requirements:
        provider = context.registry.get(requirement.tool)
        remote = toolbox.remote(provider)
        version, release = toolbox.from_index(provider, parse_spec(requirement.spec),
                                               requirement)
        for url, body in remote.documents.items():
            atomic_write(_place(remote, url, directory, provider.name), body)
        for platform in targets:
            try:
                artifact = provider.artifact(release, platform, remote.base)
            except UnsupportedPlatform as exc:
                lines.append(f"{provider.name} {version} {platform.key}: skipped ({exc})")
                continue
            artifact.url = remote.rewrite(artifact.url)
            target = _place(remote, artifact.url, directory, provider.name)
            expected = artifact.sha256
            if artifact.checksum_url:
                sums = net.fetch(remote.rewrite(artifact.checksum_url))
                atomic_write(_place(remote, remote.rewrite(artifact.checksum_url), directory,
                                    provider.name), sums)
                if expected is None:
                    from .checksums import find_sha256

                    expected = find_sha256(sums.decode(errors="replace"), artifact.checksum_name)
            part = target + ".part"
            if net.local_path(artifact.url) is not None:
                shutil.copyfile(net.local_path(artifact.url), part)
            else:
                net.download(artifact.url, part)
            digest = file_sha256(part)
            if expected and digest != expected:
                os.unlink(part)
                raise ZrError(f"{artifact.url}: checksum mismatch (expected {expected}, got "
                              f"{digest}); nothing written for {provider.name} {version}")
            if not expected and requirement.verify:
                os.unlink(part)
                raise ZrError(f"{artifact.url}: no official SHA-256; refusing to mirror it")
            signature = toolbox.expected_signature(provider, requirement, artifact)
            if signature is not None:
                from .install import check_signature

                body = check_signature(provider.name, version, artifact, part, signature)
                atomic_write(_place(remote, signature.url, directory, provider.name), body)
            os.replace(part, target)
            lines.append(f"{provider.name} {version} {platform.key}: {target}")
    return lines
