"""``zr wasm list``, ``zr plugin install x.wasm`` and ``zr plugin create --wasm``."""

from __future__ import annotations

import hashlib
import json

import pytest
import wasmtime

from wat_plugins import answering, logging, plugin

pytestmark = pytest.mark.crossversion

BUILD = """
[tasks.build]
cmd = "echo building"
"""


def test_wasm_list_shows_hooks_functions_and_grants(zr_project):
    (zr_project.path / "src").mkdir()
    (zr_project.path / "gate.wasm").write_bytes(wasmtime.wat2wasm(plugin({
        "zr_task_start": "(i32.const 0)", "expr_allow": "(i32.const 0)",
        "helper": "(i32.const 0)"})))
    (zr_project.path / "bad.wasm").write_bytes(wasmtime.wat2wasm(plugin(
        {"zr_task_start": "(call $nope) (i32.const 0)"},
        imports='(import "env" "nope" (func $nope))')))
    zr_project.write("""
        [plugins.wasm.gate]
        path = "gate.wasm"
        allowed_paths = { "./src" = "/src" }
        allowed_env = ["CI"]
        timeout = "500ms"

        [plugins.wasm.bad]
        path = "bad.wasm"
    """ + BUILD)
    result = zr_project.run("wasm", "list")
    assert result.returncode == 1, result.output  # one plugin is broken
    lines = result.stdout.splitlines()
    assert lines[0] == "gate  (%s)" % (zr_project.path / "gate.wasm")
    assert "    hooks: zr_task_start" in lines
    assert "    functions: gate.allow" in lines
    assert f"    paths: {zr_project.path / 'src'} -> /src (read-only)" in lines
    assert "    env: CI" in lines
    assert "    hosts: none" in lines
    assert any(line.startswith("bad  (") and "BROKEN:" in line and "env::nope" in line
               for line in lines)
    rows = json.loads(zr_project.run("wasm", "list", "--json").stdout)
    assert [row["name"] for row in rows] == ["gate", "bad"]
    assert rows[0]["permissions"]["timeout"] == 0.5


def test_zr_plugins_lists_the_projects_wasm_plugins_through_zr_plugin_rows(zr_project):
    """The kernel's hook zr_plugin_rows: zr plugins shows hosted plugins too."""
    (zr_project.path / "gate.wasm").write_bytes(wasmtime.wat2wasm(plugin({
        "zr_task_start": "(i32.const 0)", "expr_allow": "(i32.const 0)"})))
    zr_project.write("""
        [plugins.wasm.gate]
        path = "gate.wasm"
        allowed_env = ["CI"]
    """ + BUILD)
    result = zr_project.run("plugins")
    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("gate  (wasm: %s)" % (zr_project.path / "gate.wasm"))
    assert lines[at + 1:at + 4] == ["    hooks: zr_task_start", "    functions: gate.allow",
                                    "    paths: none"]
    assert "    env: CI" in lines[at:]
    assert any(line.startswith("wasm  (zr-plugin-wasm") for line in lines)  # the host itself
    rows = json.loads(zr_project.run("plugins", "--json").stdout)
    gate = next(row for row in rows if row["name"] == "gate")
    assert gate["hosted"] and gate["permissions"]["env"] == ["CI"]

    # Outside a project, or in one without WASM plugins: the Python plugins only.
    zr_project.write(BUILD)
    assert "(wasm: " not in zr_project.run("plugins").stdout


def test_plugin_install_adds_a_wasm_module_to_the_project(zr_project, tmp_path):
    module = tmp_path / "Audit-Log.wasm"
    module.write_bytes(wasmtime.wat2wasm(logging("zr_task_start")))
    zr_project.write(BUILD)
    result = zr_project.run("plugin", "install", str(module))
    assert result.returncode == 0, result.output
    assert "installed WASM plugin 'audit_log'" in result.output
    digest = hashlib.sha256(module.read_bytes()).hexdigest()
    assert (zr_project.path / ".zr" / "wasm" / "audit_log.wasm").read_bytes() == \
        module.read_bytes()
    text = (zr_project.path / "zr.toml").read_text()
    assert f'[plugins.wasm.audit_log]\npath = ".zr/wasm/audit_log.wasm"\nsha256 = "{digest}"' \
        in text
    run = zr_project.run("run", "build")
    assert run.returncode == 0, run.output
    assert "zr: wasm plugin 'audit_log': zr_task_start: " in run.stderr
    again = zr_project.run("plugin", "install", str(module))
    assert again.returncode == 2
    assert "[plugins.wasm.audit_log] is already in" in again.stderr


def test_plugin_install_refuses_a_module_that_is_no_zr_plugin(zr_project, tmp_path):
    module = tmp_path / "other.wasm"
    module.write_bytes(wasmtime.wat2wasm(answering(something_else="1")))
    zr_project.write(BUILD)
    result = zr_project.run("plugin", "install", str(module))
    assert result.returncode == 2
    assert "exports no zr hook" in result.stderr
    assert "plugins.wasm" not in (zr_project.path / "zr.toml").read_text()
    assert not (zr_project.path / ".zr").exists()


@pytest.mark.parametrize("language, files, build, needs", [
    ("rust", ["Cargo.toml", "src/lib.rs"], "cargo build --release --target wasm32-unknown-unknown",
     "cargo downloads `extism-pdk`"),
    ("go", ["go.mod", "main.go", "pdk/pdk.go"],
     "GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o lint.wasm .",
     "works offline: no module is downloaded"),
    ("c", ["plugin.c", "pdk.h"],
     "python3 -m ziglang cc --target=wasm32-wasi -mexec-model=reactor -Os -s -o lint.wasm",
     "It works offline"),
    ("js", ["plugin.js", "plugin.d.ts"], "extism-js plugin.js -i plugin.d.ts -o lint.wasm",
     "needs the `extism-js` compiler"),
])
def test_plugin_create_wasm_scaffolds_a_project_with_its_build(zr_project, language, files,
                                                                build, needs):
    result = zr_project.run("plugin", "create", "--wasm", language, "lint")
    assert result.returncode == 0, result.output
    root = zr_project.path / "zr-wasm-lint"
    assert build in result.stdout
    assert "cd zr-wasm-lint && zr run build" in result.stdout
    for name in files + ["README.md", "zr.toml"]:
        assert (root / name).is_file(), name
    source = "\n".join((root / name).read_text() for name in files)
    assert "zr_task_start" in source and "expr_greet" in source
    assert "extism" in source.lower()
    assert build in (root / "zr.toml").read_text()
    readme = " ".join((root / "README.md").read_text().split())
    assert "[plugins.wasm.lint]" in readme and needs in readme
    tested = "zr's test suite builds this project"
    assert (tested in readme) == (language in ("go", "c"))
    listed = zr_project.run("list", cwd=root)
    assert listed.returncode == 0 and "Compile lint.wasm" in listed.stdout, listed.output
    again = zr_project.run("plugin", "create", "--wasm", language, "lint")
    assert again.returncode == 2 and "already exists" in again.stderr
