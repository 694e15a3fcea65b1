"""Zig's minisign signatures, against the test mirror, which signs its zig
tarballs as ziglang.org does but with a test key (minisign_signer.py): an
archive is unpacked only when its ``.minisig`` verifies with the trusted
key, and every way a signature can be wrong refuses the install with a
clear message and leaves nothing installed."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest

from minisign_signer import MIRROR_KEY, MinisignKey

ZIG = "/zig/download/0.13.0/zig-x86_64-linux-0.13.0.tar.xz"
FILENAME = "zig-x86_64-linux-0.13.0.tar.xz"


def project_with_zig(project, key: str | None = MIRROR_KEY.public, extra: str = "") -> None:
    key_line = f'minisign_key = "{key}"' if key else ""
    project.write(f"""
        [tools.zig]
        version = "0.13"
        {key_line}
        {extra}

        [tasks.t]
        cmd = "zig version"
    """)


def nothing_installed(project) -> bool:
    tools = project.home / "data" / "toolchains" / "zig"
    downloads = project.home / "cache" / "toolchains" / "downloads"
    leftovers = [p for p in tools.iterdir() if not p.name.startswith(".lock")] \
        if tools.exists() else []
    partials = list(downloads.iterdir()) if downloads.exists() else []
    return leftovers == [] and partials == []


def signature_path(server) -> str:
    return str(server.root) + ZIG + ".minisig"


def refused(project, *needles: str) -> None:
    result = project.run("tools", "install", "zig@0.13")
    assert result.returncode == 2, result.output
    message = result.stderr.replace("\n", " ")
    for needle in needles:
        assert needle in message, result.stderr
    assert "Traceback" not in result.stderr
    assert nothing_installed(project)


def test_a_signed_zig_installs_when_its_signature_verifies(project, mirror):
    project_with_zig(project)

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert "t | 0.13.0" in result.stdout
    assert f"GET {ZIG}.minisig 200" in mirror.requests()


def test_an_install_from_zr_lock_checks_the_signature_too(project, own_mirror, tmp_path):
    project_with_zig(project)
    assert project.run("run", "t").returncode == 0
    assert "zig-x86_64-linux-0.13.0.tar.xz" in (project.path / "zr.lock").read_text()
    MinisignKey().sign(str(own_mirror.root) + ZIG)  # the mirror's signature changes
    project.env["ZR_HOME"] = str(tmp_path / "another-machine")

    result = project.run("tools", "install")

    assert result.returncode == 2, result.output
    assert "does not verify zig-x86_64-linux-0.13.0.tar.xz" in result.stderr
    assert not (tmp_path / "another-machine" / "data" / "toolchains" / "zig" / "0.13.0").exists()


def test_zig_is_checked_with_its_published_key_by_default(project, mirror):
    project_with_zig(project, key=None)

    refused(project, f"the minisign signature {mirror.url}{ZIG}.minisig does not verify "
            f"{FILENAME} with zig's published key: it is signed by the key with id")


def test_a_tampered_signature_is_refused(project, own_mirror):
    path = signature_path(own_mirror)
    lines = open(path).read().splitlines()
    raw = bytearray(base64.b64decode(lines[1]))
    raw[20] ^= 0x01  # one bit of the Ed25519 signature
    lines[1] = base64.b64encode(bytes(raw)).decode()
    open(path, "w").write("\n".join(lines) + "\n")
    project_with_zig(project)

    refused(project, "does not verify", "the signature does not match the file",
            "nothing was installed")


def test_an_altered_trusted_comment_is_refused(project, own_mirror):
    path = signature_path(own_mirror)
    text = open(path).read().replace("timestamp:1718127497", "timestamp:1918127497")
    open(path, "w").write(text)
    project_with_zig(project)

    refused(project, "the trusted comment's signature does not match")


def test_a_signature_by_another_key_is_refused(project, own_mirror):
    intruder = MinisignKey()
    archive = str(own_mirror.root) + ZIG
    intruder.sign(archive)
    project_with_zig(project)

    refused(project, f"it is signed by the key with id {key_id(intruder)}, not by the trusted "
            f"key {key_id(MIRROR_KEY)}", "the minisign_key of [tools] zig")


def test_a_signature_for_another_file_is_refused(project, own_mirror):
    # an older tarball, properly signed, served under a newer name
    archive = str(own_mirror.root) + ZIG
    MIRROR_KEY.sign(archive, "timestamp:1700000000\tfile:zig-x86_64-linux-0.12.0.tar.xz\thashed")
    project_with_zig(project)

    refused(project, f"the signature is for zig-x86_64-linux-0.12.0.tar.xz, not {FILENAME}")


def test_a_missing_signature_is_refused_unless_turned_off(project, own_mirror):
    import os

    os.unlink(signature_path(own_mirror))
    project_with_zig(project)

    refused(project, f"zig 0.13.0: no minisign signature for {FILENAME}", "HTTP 404",
            "verify_signatures = false in [tools] zig")

    project_with_zig(project, extra="verify_signatures = false")
    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert "t | 0.13.0" in result.stdout
    assert "the signature of zig-x86_64-linux-0.13.0.tar.xz is not checked " \
           "(verify_signatures = false in [tools] zig)" in result.stderr


def test_a_legacy_whole_file_signature_verifies(project, own_mirror):
    MIRROR_KEY.sign(str(own_mirror.root) + ZIG, prehashed=False)
    project_with_zig(project)

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert "t | 0.13.0" in result.stdout


@pytest.mark.services
@pytest.mark.parametrize("legacy", [False, True], ids=["prehashed", "legacy"])
def test_a_signature_made_by_the_minisign_program_verifies(project, own_mirror, tmp_path,
                                                            legacy):
    minisign = shutil.which("minisign")
    assert minisign, "minisign is not installed: run scripts/install-test-services.sh"
    public, secret = tmp_path / "minisign.pub", tmp_path / "minisign.key"
    subprocess.run([minisign, "-G", "-W", "-p", str(public), "-s", str(secret)], check=True,
                   capture_output=True, timeout=60)
    archive = str(own_mirror.root) + ZIG
    subprocess.run([minisign, "-S", "-s", str(secret), "-m", archive,
                    "-t", f"timestamp:1718127497\tfile:{FILENAME}"] + (["-l"] if legacy else []),
                   check=True, capture_output=True, timeout=60)
    project_with_zig(project, key=public.read_text().splitlines()[1].strip())

    result = project.run("run", "t")

    assert result.returncode == 0, result.output
    assert "t | 0.13.0" in result.stdout


def test_a_malformed_key_in_zr_toml_is_a_config_error(project, mirror):
    project_with_zig(project, key="RWnot-a-key")

    result = project.run("list")

    assert result.returncode == 2
    assert "tools.zig.minisign_key: the minisign public key is not base64" in result.stderr, \
        result.stderr
    assert mirror.requests() == []


def test_the_mirror_command_keeps_signatures(project, mirror, tmp_path):
    project_with_zig(project)
    target = tmp_path / "airgap"

    filled = project.run("tools", "mirror", str(target), "zig@0.13")

    assert filled.returncode == 0, filled.output
    assert (target / "zig" / "download" / "0.13.0" / f"{FILENAME}.minisig").is_file()
    mirror.stop()
    result = project.run("run", "t", env={"ZR_MIRROR_ZIG": str(target / "zig")})

    assert result.returncode == 0, result.output
    assert "t | 0.13.0" in result.stdout


def key_id(key: MinisignKey) -> str:
    return key.key_id[::-1].hex().upper()
