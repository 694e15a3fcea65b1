"""WASM plugins in real projects, through the real ``zr`` command."""

from __future__ import annotations

import json

import pytest
import wasmtime

from wat_plugins import answering, logging, plugin

pytestmark = pytest.mark.crossversion


def install(project, name: str, wat: str, settings: str = "") -> str:
    """Write ``plugins/NAME.wasm`` and its ``[plugins.wasm.NAME]`` table."""
    (project.path / "plugins").mkdir(exist_ok=True)
    (project.path / "plugins" / f"{name}.wasm").write_bytes(wasmtime.wat2wasm(wat))
    return f'[plugins.wasm.{name}]\npath = "plugins/{name}.wasm"\n{settings}\n'


BUILD = """
[tasks.build]
cmd = "echo building"
"""


def test_lifecycle_hooks_get_json_about_the_run(zr_project):
    hooks = ("zr_run_start", "zr_task_start", "zr_task_finish", "zr_run_finish")
    zr_project.write(install(zr_project, "audit", logging(*hooks)) + BUILD)
    result = zr_project.run("run", "build")
    assert result.returncode == 0, result.output
    assert "building" in result.stdout
    logged = {}
    for line in result.stderr.splitlines():
        prefix = "zr: wasm plugin 'audit': "
        if line.startswith(prefix):
            hook, _, payload = line[len(prefix):].partition(": ")
            logged[hook] = json.loads(payload)
    assert logged["zr_run_start"] == {"tasks": ["build"]}
    assert logged["zr_task_start"]["task"]["name"] == "build"
    assert logged["zr_task_start"]["task"]["commands"] == ["echo building"]
    finish = logged["zr_task_finish"]
    assert (finish["result"]["status"], finish["result"]["exit_code"]) == ("success", 0)
    assert logged["zr_run_finish"]["exit_code"] == 0
    assert logged["zr_run_finish"]["results"]["build"]["status"] == "success"


def test_a_crashing_plugin_is_a_warning_and_the_run_succeeds(zr_project):
    broken = plugin({"zr_task_start": "unreachable", "zr_run_finish": "(loop $l (br $l)) "
                     "(i32.const 0)"})
    zr_project.write(install(zr_project, "broken", broken, 'timeout = "300ms"') + BUILD)
    result = zr_project.run("run", "build")
    assert result.returncode == 0, result.output
    assert "building" in result.stdout
    assert ("wasm plugin 'broken' (zr_task_start): hit `unreachable` (the plugin aborted or "
            "panicked)") in result.stderr
    assert "wasm plugin 'broken' (zr_run_finish): timed out after 0.30s" in result.stderr


def test_task_finish_may_fail_a_task(zr_project):
    zr_project.write(install(zr_project, "policy", answering(
        zr_task_finish={"fail": "no tests ran"})) + BUILD + """
[tasks.after]
cmd = "echo after"
deps = ["build"]
""")
    result = zr_project.run("run", "after")
    assert result.returncode == 1, result.output
    assert "wasm plugin 'policy': no tests ran" in result.output
    assert "after" not in result.stdout.replace("building", "")


def test_expression_functions_in_conditions(zr_project):
    gate = plugin({"expr_echo": "(call $echo_slice (i32.const 1) (i32.const 1)) (i32.const 0)"})
    zr_project.write(install(zr_project, "gate", gate) + """
[tasks.yes]
cmd = "echo ran yes"
condition = "gate.echo('abc') == 'abc'"

[tasks.no]
cmd = "echo ran no"
condition = "gate.echo('abc') == 'xyz'"
""")
    result = zr_project.run("run", "yes", "no")
    assert result.returncode == 0, result.output
    assert "ran yes" in result.stdout
    assert "ran no" not in result.stdout


def test_a_plan_transform_rewrites_env_and_commands(zr_project):
    rewrite = answering(zr_task_plan={
        "env": {"FROM_WASM": "yes"},
        "argvs": [["sh", "-c", "echo rewritten FROM_WASM=$FROM_WASM"]]})
    zr_project.write(install(zr_project, "rewrite", rewrite) + BUILD)
    result = zr_project.run("run", "build")
    assert result.returncode == 0, result.output
    assert "rewritten FROM_WASM=yes" in result.stdout
    assert "building" not in result.stdout


def test_validation_of_its_own_config(zr_project):
    checker = answering(zr_validate={"problems": [
        {"message": "level must be low or high", "key": "level"}]})
    zr_project.write(install(zr_project, "check", checker, "config = { level = 'medium' }")
                     + BUILD)
    result = zr_project.run("validate")
    assert result.returncode == 2, result.output
    assert "plugins.wasm.check.config.level: wasm plugin 'check': level must be low or high" \
        in result.stderr


def test_settings_mistakes_are_config_errors_with_their_line(zr_project):
    text = install(zr_project, "x", answering(hello="1"), 'memory = "lots"') + BUILD
    zr_project.write(text)
    result = zr_project.run("run", "build")
    assert result.returncode == 2, result.output
    assert 'zr.toml:3: plugins.wasm.x.memory: expected a size like "500MB"' in result.stderr
    assert "Traceback" not in result.stderr
    zr_project.write('[plugins.wasm.y]\npath = "missing.wasm"\n' + BUILD)
    result = zr_project.run("list")
    assert result.returncode == 2
    assert "plugins.wasm.y.path: missing.wasm does not exist" in result.stderr


def test_a_project_without_wasm_plugins_loads_only_the_hook_module(zr_project):
    zr_project.write(BUILD)
    for command in (("list",), ("run", "build")):
        ours = {m for m in zr_project.loaded_modules(*command)
                if m.startswith(("zr_plugin_wasm", "wasmtime"))}
        assert ours <= {"zr_plugin_wasm", "zr_plugin_wasm.plugin"}, (command, ours)


def test_listing_a_project_with_a_wasm_plugin_seen_before_needs_no_wasmtime(zr_project):
    zr_project.write(install(zr_project, "audit", logging("zr_task_start")) + BUILD)
    assert zr_project.run("run", "build").returncode == 0  # compiles, records the exports
    loaded = zr_project.loaded_modules("list")
    assert "wasmtime" not in loaded
    assert "zr_plugin_wasm.hooks" in loaded  # the plugin was consulted (zr_validate)


def test_a_failing_plan_transform_fails_its_task_not_zr(zr_project):
    zr_project.write(install(zr_project, "bad_plan", answering(
        zr_task_plan={"argvs": "rm -rf /"})) + BUILD)
    result = zr_project.run("run", "build")
    assert result.returncode == 1, result.output
    assert ("wasm plugin 'bad_plan' (zr_task_plan): answered argvs that are not a non-empty "
            "list of commands") in result.output
    assert "building" not in result.stdout
    assert "Traceback" not in result.output


def test_a_crashing_expression_function_is_the_conditions_error(zr_project):
    zr_project.write(install(zr_project, "gate", plugin({"expr_allow": "unreachable"})) + """
[tasks.build]
cmd = "echo building"
condition = "gate.allow()"
""")
    result = zr_project.run("run", "build")
    assert result.returncode != 0, result.output
    assert "wasm plugin 'gate' (gate.allow()): hit `unreachable`" in result.stderr
    assert "building" not in result.stdout
    assert "Traceback" not in result.output


def test_a_file_that_is_no_module_is_a_warning_not_a_failed_run(zr_project):
    (zr_project.path / "bad.wasm").write_text("not wasm")
    zr_project.write('[plugins.wasm.bad]\npath = "bad.wasm"\n' + BUILD)
    result = zr_project.run("run", "build")
    assert result.returncode == 0, result.output
    assert "building" in result.stdout
    assert result.stderr.count("is not a WebAssembly module") == 1, result.stderr
    assert "zr.toml:2: plugins.wasm.bad.path: wasm plugin 'bad':" in result.stderr


def test_a_plugin_named_like_a_builtin_of_expressions_is_a_warning(zr_project):
    zr_project.write(install(zr_project, "env", plugin({"expr_x": "(i32.const 0)"})) + BUILD
                     + "condition = \"platform != ''\"\n")
    result = zr_project.run("validate")
    assert result.returncode == 0, result.output
    assert "wasm plugin 'env' (expr_x):" in result.stderr
    assert "hide the built-in name 'env'" in result.stderr


def test_its_own_top_level_section_goes_to_its_validate_export(zr_project):
    zr_project.write(install(zr_project, "myplugin", logging("zr_validate")) + """
[myplugin]
level = "high"
limits = { depth = 3 }
""" + BUILD)
    result = zr_project.run("validate")
    assert result.returncode == 0, result.output
    prefix = "zr: wasm plugin 'myplugin': zr_validate: "
    logged = [line[len(prefix):] for line in result.stderr.splitlines()
              if line.startswith(prefix)]
    assert logged, result.output
    assert json.loads(logged[0])["config"] == {"level": "high", "limits": {"depth": 3}}
    assert zr_project.run("run", "build").returncode == 0


def test_a_bad_value_in_its_own_section_is_the_modules_error(zr_project):
    checker = answering(zr_validate={"problems": [
        {"message": "level must be low or high", "key": "level"}]})
    zr_project.write(install(zr_project, "myplugin", checker)
                     + '\n[myplugin]\nlevel = "medium"\n' + BUILD)
    for command in (("validate",), ("run", "build")):
        result = zr_project.run(*command)
        assert result.returncode == 2, result.output
        assert "myplugin.level: wasm plugin 'myplugin': level must be low or high" \
            in result.stderr
        assert "building" not in result.stdout


def test_its_section_without_a_declared_wasm_plugin_is_unhandled(zr_project):
    zr_project.write('[spellcheck]\nlevel = "high"\n' + BUILD)
    result = zr_project.run("validate")
    assert result.returncode == 2, result.output
    assert "unknown section 'spellcheck'; no installed plugin handles [spellcheck]" \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_in_both_its_section_and_config_are_refused(zr_project):
    zr_project.write(install(zr_project, "myplugin", answering(hello="1"),
                             "config = { level = 'low' }")
                     + '\n[myplugin]\nlevel = "high"\n' + BUILD)
    result = zr_project.run("list")
    assert result.returncode == 2, result.output
    assert "plugins.wasm.myplugin.config: the plugin's settings are in [myplugin] too" \
        in result.stderr


def test_a_wasm_plugin_named_like_a_claimed_section_names_both_claims(zr_project):
    zr_project.write(install(zr_project, "tasks", answering(hello="1")) + BUILD)
    result = zr_project.run("list")
    assert result.returncode == 2, result.output
    assert "both claim the section 'tasks'" in result.stderr
    assert "'wasm'" in result.stderr
    assert "Traceback" not in result.stderr


CONFIG_GET = ('(import "extism:host/env" "config_get" (func $config_get (param i64) (result i64)))\n'
              '  (import "extism:host/env" "length" (func $length (param i64) (result i64)))')


def test_config_get_reads_its_own_section(zr_project):
    reader = plugin({"expr_limit": "(local $v i64)\n"
                     "    (local.set $v (call $config_get (call $handle (i32.const 0) "
                     "(i32.const 5))))\n"
                     "    (call $output_set (local.get $v) (call $length (local.get $v)))\n"
                     "    (i32.const 0)"}, data={0: "limit"}, imports=CONFIG_GET)
    zr_project.write(install(zr_project, "myplugin", reader) + """
[myplugin]
limit = 3

[tasks.build]
cmd = "echo building"
condition = "myplugin.limit() == 3"

[tasks.other]
cmd = "echo other"
condition = "myplugin.limit() == 4"
""")
    result = zr_project.run("run", "build", "other")
    assert result.returncode == 0, result.output
    assert "building" in result.stdout
    assert "other skipped (condition is false: myplugin.limit() == 4)" in result.stderr
