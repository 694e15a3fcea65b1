"""`pip install ./zr-core` alone, from a built wheel in a fresh venv, gives a
working `zr`; `zr list` and a plain `zr run` stay clear of heavy imports."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("requests", "boto3", "botocore", "google", "azure", "watchdog", "wasmtime", "psutil",
         "textual", "rich", "urllib3")


def _uv() -> str:
    uv = Path(sys.executable).parent / "uv"
    if not uv.exists():
        pytest.fail("uv is not installed in the test venv (scripts/dev-install installs it)")
    return str(uv)


def test_core_wheel_alone_gives_a_working_zr(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([_uv(), "build", "--wheel", "--out-dir", str(dist), str(REPO / "zr-core")],
                   check=True, capture_output=True)
    wheel = next(dist.glob("zr_core-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([_uv(), "venv", "--quiet", str(venv)], check=True)
    subprocess.run([_uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"),
                    str(wheel)], check=True)
    project = tmp_path / "project"
    project.mkdir()
    (project / "zr.toml").write_text('[tasks.hi]\ncmd = "echo hello from a wheel"\n')
    env = {**os.environ, "ZR_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    env.pop("ZR_PLUGINS", None)
    zr = str(venv / "bin" / "zr")
    result = subprocess.run([zr, "run", "hi"], cwd=project, env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert "hi | hello from a wheel" in result.stdout
    plugins = subprocess.run([zr, "plugins"], cwd=project, env=env, capture_output=True,
                             text=True).stdout
    assert "core  (zr-core" in plugins and "cache" not in plugins
    site = subprocess.run([str(venv / "bin" / "python"), "-c",
                           "import zr, os; print(os.path.dirname(zr.__file__))"],
                          capture_output=True, text=True).stdout.strip()
    assert "site-packages" in site
    # Nothing of zr's state lands in site-packages.
    assert not any(p.name.endswith(".marshal") for p in Path(site).rglob("*"))


def _imported_modules(zr_project, *args) -> set:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "zr", *args],
                            cwd=zr_project.path, env=zr_project.env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


@pytest.mark.parametrize("args", [("list",), ("run", "plain"), ("plain",), ("-qv", "plain"),
                                  ("run", "-j2", "plain", "--log-prefix", "none")])
def test_everyday_commands_import_nothing_heavy(zr_project, args):
    zr_project.write('[tasks.plain]\ncmd = "true"\n')
    zr_project.run("list")  # warm the caches, as any second invocation is
    modules = _imported_modules(zr_project, *args)
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == []
    assert "click" not in modules  # the fast path does not build the click app
