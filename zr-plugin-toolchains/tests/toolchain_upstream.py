"""Builders of each toolchain's upstream layout, for the test mirror.

Every file has the name and format upstream publishes (index documents,
archives, checksum files); the executables inside are small shell scripts
that print what the real tool prints (and the env they see), unless a test
puts a real binary in with :func:`node_release` & co's ``files`` argument.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import zipfile

from minisign_signer import MIRROR_KEY

SCRIPT = "#!/bin/sh\n{body}\n"


def sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _write(path, data: bytes) -> str:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
    return path


def make_tar(path, files: dict, *, links: dict | None = None, compression="gz") -> str:
    """A tarball of ``{member: bytes | (source path,) | str script}`` and
    symlinks ``{member: target}``; scripts and real binaries are 0755."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with tarfile.open(path, f"w:{compression}", compresslevel=1) if compression == "gz" \
            else tarfile.open(path, f"w:{compression}") as tar:
        for name, content in files.items():
            if isinstance(content, tuple):
                tar.add(content[0], arcname=name)
                continue
            data = content.encode() if isinstance(content, str) else content
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o755 if isinstance(content, str) else 0o644
            tar.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tar.addfile(info)
    return path


def make_zip(path, files: dict) -> str:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in files.items():
            if isinstance(content, tuple):
                info = zipfile.ZipInfo.from_file(content[0], arcname=name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with open(content[0], "rb") as src, archive.open(info, "w") as out:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
                continue
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o100755 if isinstance(content, str) else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode() if isinstance(content, str) else content)
    return path


def script(body: str) -> str:
    return SCRIPT.format(body=body)


# -- node -------------------------------------------------------------------


def node_release(root, version: str, *, lts=False, files=None, links=None,
                 date="2024-02-13") -> str:
    """``root/node/v<V>/node-v<V>-linux-x64.tar.gz`` + SHASUMS256.txt, and
    an index.json entry (newest first, as nodejs.org sorts it)."""
    base = os.path.join(root, "node")
    top = f"node-v{version}-linux-x64"
    members = files or {f"{top}/bin/node": script(
        f'if [ "$1" = "-e" ]; then echo "node-e $2"; exit 0; fi\necho v{version}')}
    archive = make_tar(os.path.join(base, f"v{version}", f"{top}.tar.gz"), members,
                       links=links if files is not None else
                       {f"{top}/bin/npm": "../lib/node_modules/npm/bin/npm-cli.js"})
    _write(os.path.join(base, f"v{version}", "SHASUMS256.txt"),
           f"{'0' * 64}  node-v{version}-darwin-arm64.tar.gz\n"
           f"{sha256(archive)}  {top}.tar.gz\n".encode())
    index_path = os.path.join(base, "index.json")
    entries = json.load(open(index_path)) if os.path.exists(index_path) else []
    entries = [e for e in entries if e["version"] != f"v{version}"]
    entries.append({"version": f"v{version}", "date": date,
                    "files": ["linux-x64", "osx-arm64-tar"], "npm": "10.2.4", "lts": lts,
                    "security": False})
    entries.sort(key=lambda e: [int(n) for n in e["version"][1:].split(".")], reverse=True)
    _write(index_path, json.dumps(entries).encode())
    return archive


# -- go ---------------------------------------------------------------------


def go_release(root, version: str, *, files=None) -> str:
    base = os.path.join(root, "go")
    name = f"go{version}.linux-amd64.tar.gz"
    members = files or {"go/bin/go": script(
        f'echo "go version go{version} linux/amd64 GOROOT=$GOROOT GOTOOLCHAIN=$GOTOOLCHAIN"'),
        "go/bin/gofmt": script("echo gofmt")}
    archive = make_tar(os.path.join(base, name), members)
    _write(os.path.join(base, name + ".sha256"), sha256(archive).encode())
    index_path = os.path.join(base, "index.json")
    entries = json.load(open(index_path)) if os.path.exists(index_path) else []
    entries.append({"version": f"go{version}", "stable": True, "files": [
        {"filename": name, "os": "linux", "arch": "amd64", "version": f"go{version}",
         "sha256": sha256(archive), "size": os.path.getsize(archive), "kind": "archive"},
        {"filename": f"go{version}.src.tar.gz", "os": "", "arch": "", "version": f"go{version}",
         "sha256": "0" * 64, "size": 1, "kind": "source"}]})
    _write(index_path, json.dumps(entries).encode())
    return archive


# -- zig --------------------------------------------------------------------


def zig_release(root, version: str, *, files=None, compression="xz", signer=MIRROR_KEY) -> str:
    """The tarball, signed as ziglang.org signs it (``<tarball>.minisig``,
    by ``signer``; None: unsigned), and its index.json entry."""
    base = os.path.join(root, "zig")
    top = f"zig-x86_64-linux-{version}"
    rel = f"download/{version}/{top}.tar.{compression}"
    members = files or {f"{top}/zig": script(f"echo {version}"),
                        f"{top}/lib/std/std.zig": b"// std\n"}
    archive = make_tar(os.path.join(base, rel), members, compression=compression)
    if signer is not None:
        signer.sign(archive)
    index_path = os.path.join(base, "download", "index.json")
    doc = json.load(open(index_path)) if os.path.exists(index_path) else {}
    doc[version] = {"date": "2024-06-06", "docs": "", "stdDocs": "", "notes": "",
                    "src": {"tarball": f"https://ziglang.org/download/{version}/zig-{version}.tar.xz",
                            "shasum": "0" * 64, "size": "1"},
                    "x86_64-linux": {"tarball": f"https://ziglang.org/{rel}",
                                     "shasum": sha256(archive),
                                     "size": str(os.path.getsize(archive))}}
    _write(index_path, json.dumps(doc).encode())
    return archive


# -- deno -------------------------------------------------------------------


def deno_release(root, version: str, *, files=None) -> str:
    base = os.path.join(root, "deno")
    name = "deno-x86_64-unknown-linux-gnu.zip"
    members = files or {"deno": script(f'echo "deno {version} (release, x86_64-unknown-linux-gnu)"')}
    archive = make_zip(os.path.join(base, "release", f"v{version}", name), members)
    _write(archive + ".sha256sum", f"{sha256(archive)}  {name}\n".encode())
    index_path = os.path.join(base, "versions.json")
    doc = json.load(open(index_path)) if os.path.exists(index_path) else {"cli": []}
    doc["cli"].insert(0, f"v{version}")
    _write(index_path, json.dumps(doc).encode())
    return archive


# -- bun --------------------------------------------------------------------


def bun_release(root, version: str) -> str:
    base = os.path.join(root, "bun")
    tag = f"bun-v{version}"
    archive = make_zip(os.path.join(base, tag, "bun-linux-x64.zip"),
                       {"bun-linux-x64/bun": script(f'echo {version} "$0"')})
    _write(os.path.join(base, tag, "SHASUMS256.txt"),
           f"{sha256(archive)}  bun-linux-x64.zip\n".encode())
    index_path = os.path.join(base, "releases.json")
    doc = json.load(open(index_path)) if os.path.exists(index_path) else []
    doc.insert(0, {"tag_name": tag, "draft": False, "prerelease": False, "assets": [
        {"name": "bun-linux-x64.zip", "browser_download_url":
         f"https://github.com/oven-sh/bun/releases/download/{tag}/bun-linux-x64.zip"}]})
    _write(index_path, json.dumps(doc).encode())
    return archive


# -- python -----------------------------------------------------------------


def python_release(root, version: str, tag: str = "20240713") -> str:
    base = os.path.join(root, "python")
    name = f"cpython-{version}+{tag}-x86_64-unknown-linux-gnu-install_only_stripped.tar.gz"
    archive = make_tar(os.path.join(base, tag, name), {
        "python/bin/python3": script(f'echo "Python {version}"'),
        "python/lib/python3/os.py": b"# os\n"})
    sums = os.path.join(base, tag, "SHA256SUMS")
    old = open(sums).read() if os.path.exists(sums) else ""
    _write(sums, (old + f"{sha256(archive)}  {name}\n").encode())
    index_path = os.path.join(base, "releases.json")
    doc = json.load(open(index_path)) if os.path.exists(index_path) else []
    release = next((r for r in doc if r["tag_name"] == tag), None)
    if release is None:
        release = {"tag_name": tag, "assets": []}
        doc.insert(0, release)
    release["assets"].append({
        "name": name, "digest": None,  # older releases: no digest, SHA256SUMS instead
        "browser_download_url": "https://github.com/astral-sh/python-build-standalone/"
                                f"releases/download/{tag}/{name}"})
    _write(index_path, json.dumps(doc).encode())
    return archive


# -- rust -------------------------------------------------------------------

RUST_INSTALL_SH = r"""#!/bin/sh
# rust-installer's interface, reduced: --prefix, --disable-ldconfig, --without
set -e
prefix=""; without=""
for arg in "$@"; do
  case "$arg" in
    --prefix=*) prefix="${arg#--prefix=}" ;;
    --without=*) without="${arg#--without=}" ;;
    --disable-ldconfig) ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 1 ;;
  esac
done
[ -n "$prefix" ] || { echo "install.sh: --prefix is required" >&2; exit 1; }
src="$(dirname "$0")"
for component in $(cat "$src/components"); do
  [ "$component" = "$without" ] && continue
  (cd "$src/$component" && while read -r line; do
     path="${line#*:}"
     mkdir -p "$prefix/$(dirname "$path")"; cp "$path" "$prefix/$path"
   done < manifest.in)
done
echo "install: Rust is ready to roll."
"""


def rust_release(root, version: str, date: str = "2023-12-28", channels=(), *,
                 channel: str | None = None) -> str:
    """A rust-installer tarball and the channel manifests naming it:
    ``channel-rust-<version>.toml`` and one per ``channels`` (``1.75``,
    ``stable``) for a release; for a ``channel`` build (``beta``,
    ``nightly``; ``version`` such as ``1.93.0-nightly``) the archive is
    named by the channel, as upstream names it, and the manifest is both
    ``dist/channel-rust-<channel>.toml`` and ``dist/<date>/...``."""
    base = os.path.join(root, "rust")
    triple = "x86_64-unknown-linux-gnu"
    top = f"rust-{channel or version}-{triple}"
    rel = f"dist/{date}/{top}.tar.gz"
    archive = make_tar(os.path.join(base, rel), {
        f"{top}/install.sh": RUST_INSTALL_SH,
        f"{top}/components": b"rustc\ncargo\nrust-docs\n",
        f"{top}/rust-installer-version": b"3\n",
        f"{top}/rustc/manifest.in": b"file:bin/rustc\n",
        f"{top}/rustc/bin/rustc": script(f'echo "rustc {version} (82e1608df {date})"'),
        f"{top}/cargo/manifest.in": b"file:bin/cargo\n",
        f"{top}/cargo/bin/cargo": script(f'echo "cargo {version}"'),
        f"{top}/rust-docs/manifest.in": b"file:share/doc/index.html\n",
        f"{top}/rust-docs/share/doc/index.html": b"docs\n"})
    manifest = (f'manifest-version = "2"\ndate = "{date}"\n\n[pkg.rust]\n'
                f'version = "{version} (82e1608df {date})"\n\n'
                f'[pkg.rust.target.{triple}]\navailable = true\n'
                f'url = "https://static.rust-lang.org/{rel}"\nhash = "{sha256(archive)}"\n\n'
                '[pkg.rust.target.aarch64-apple-darwin]\navailable = false\n')
    if channel:
        places = [("dist", channel), (f"dist/{date}", channel)]
    else:
        places = [("dist", name) for name in (version, *channels)]
    for directory, name in places:
        path = _write(os.path.join(base, directory, f"channel-rust-{name}.toml"),
                      manifest.encode())
        _write(path + ".sha256", f"{sha256(path)}  channel-rust-{name}.toml\n".encode())
    return archive


# -- java -------------------------------------------------------------------


def java_release(root, feature: int, version: str, build: int, *, lts=True) -> str:
    base = os.path.join(root, "java")
    semver = f"{version}+{build}"
    name = f"OpenJDK{feature}U-jdk_x64_linux_hotspot_{version}_{build}.tar.gz"
    rel = f"temurin{feature}-binaries/releases/download/jdk-{semver}/{name}"
    archive = make_tar(os.path.join(base, rel), {
        f"jdk-{semver}/bin/java": script(
            f'echo "openjdk version \\"{version}\\" (JAVA_HOME=$JAVA_HOME)" >&2'),
        f"jdk-{semver}/release": f'JAVA_VERSION="{version}"\n'.encode()})
    info_path = os.path.join(base, "v3", "info", "available_releases")
    info = json.load(open(info_path)) if os.path.exists(info_path) else {
        "available_lts_releases": [], "available_releases": []}
    if feature not in info["available_releases"]:
        info["available_releases"].append(feature)
    if lts and feature not in info["available_lts_releases"]:
        info["available_lts_releases"].append(feature)
    info["most_recent_lts"] = max(info["available_lts_releases"] or [0])
    _write(info_path, json.dumps(info).encode())
    assets_path = os.path.join(base, "v3", "assets", "feature_releases", str(feature), "ga")
    assets = json.load(open(assets_path)) if os.path.exists(assets_path) else []
    assets.insert(0, {"release_name": f"jdk-{semver}", "version_data": {
        "semver": semver, "openjdk_version": f"{version}+{build}-LTS"}, "binaries": [{
            "os": "linux", "architecture": "x64", "image_type": "jdk", "jvm_impl": "hotspot",
            "package": {"name": name, "checksum": sha256(archive),
                        "link": "https://github.com/adoptium/" + rel.replace("+", "%2B")}}]})
    _write(assets_path, json.dumps(assets).encode())
    return archive
