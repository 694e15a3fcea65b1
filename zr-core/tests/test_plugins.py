"""The plugin host: hooks reach plugins, broken plugins are isolated,
clashing claims are clear errors, `zr plugins` tells what is installed."""

import json
import os
from pathlib import Path

PLUGIN_DIR = Path(__file__).parent / "plugins"


def _with_plugins(zr_project, modules: str, **extra) -> dict:
    env = {"ZR_PLUGINS": modules,
           "PYTHONPATH": os.pathsep.join([str(PLUGIN_DIR), str(zr_project.path)]),
           "ZR_HOOK_LOG": str(zr_project.path / "hooks.log")}
    env.update(extra)
    return env


def _calls(zr_project) -> list:
    return (zr_project.path / "hooks.log").read_text().splitlines()


def test_every_run_hook_is_called_with_what_it_promises(zr_project):
    zr_project.write("""
        [tasks.dep]
        cmd = "echo RECORDED=$RECORDED"
        recorded = "from-field"
        [tasks.skipped]
        recorded = "skip"
        cmd = "echo should be skipped"
        [tasks.short]
        recorded = "short-circuit"
        cmd = "echo should not run"
        [tasks.main]
        deps = ["dep", "skipped", "short"]
        require = [{ if = "recorder:yes" }]
        cmd = "true"
        [tasks.refused]
        require = [{ if = "recorder:no", message = "the recorder says no" }]
        cmd = "echo refused ran"
    """)
    env = _with_plugins(zr_project, "zr_hook_recorder")
    result = zr_project.run("run", "main", "--recorder-flag", env=env)
    assert result.returncode == 0, result
    assert "RECORDED=from-field" in result.stdout
    assert "should be" not in result.stdout and "should not" not in result.stdout
    assert "skipped skipped (recorder skips it)" in result.stderr
    calls = _calls(zr_project)
    assert "zr_configure flag=True" in calls
    assert "zr_expand_tasks dep,main,refused,short,skipped" in calls
    assert any(c.startswith("zr_run_start ") and c.endswith(",main") for c in calls)
    assert "zr_task_finish skipped=skipped" in calls
    assert "zr_task_finish short=success" in calls
    assert "zr_task_finish main=success" in calls
    assert "zr_run_finish exit=0" in calls
    # The skipped task never starts; the others go through the whole lifecycle.
    assert "zr_task_start skipped" not in calls
    for hook in ("zr_task_skip", "zr_task_start", "zr_task_plan", "zr_task_executor"):
        assert f"{hook} dep" in calls and f"{hook} main" in calls
    assert "zr_task_env dep" in calls
    assert "zr_process_started dep:True" in calls
    assert "zr_validate" in calls
    # A hook added by a plugin through zr_addhooks, called through pluggy.
    assert calls.index("zr_addhooks") < calls.index("zr_recorder_extra through pluggy")
    assert "zr_evaluate main:recorder:yes" in calls
    refused = zr_project.run("run", "refused", env=env)
    assert refused.returncode == 1
    assert "refused failed (the recorder says no)" in refused.stderr
    assert "refused ran" not in refused.stdout


def test_plugin_commands_and_options_come_through_the_cli(zr_project):
    zr_project.write('[tasks.a]\ncmd = "true"\n')
    env = _with_plugins(zr_project, "zr_hook_recorder")
    result = zr_project.run("recorded-command", env=env)
    assert result.stdout == "recorded command ran\n"
    assert "zr_cli_commands" in _calls(zr_project)
    help_text = zr_project.run("run", "--help", env=env).stdout
    assert "--recorder-flag" in help_text


def test_broken_plugin_is_reported_once_and_zr_works(zr_project):
    zr_project.file("broken_plugin.py", "raise RuntimeError('boom at import')\n")
    zr_project.write('[tasks.a]\ncmd = "echo still works"\n')
    env = _with_plugins(zr_project, "broken_plugin")
    result = zr_project.run("run", "a", env=env)
    assert result.returncode == 0
    assert "still works" in result.stdout
    assert result.stderr.count("plugin 'broken_plugin'") == 1
    assert "RuntimeError: boom at import" in result.stderr
    assert "ZR_STRICT_PLUGINS=1" in result.stderr
    strict = zr_project.run("run", "a", env={**env, "ZR_STRICT_PLUGINS": "1"})
    assert strict.returncode == 2
    assert "still works" not in strict.stdout
    assert "RuntimeError: boom at import" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_two_plugins_claiming_one_field_is_a_clear_error(zr_project):
    zr_project.file("clash_plugin.py", """
        from zr import hookimpl
        from zr.config import kinds

        @hookimpl
        def zr_config_sections(registry):
            registry.task_field("recorded", kinds.STRING)
    """)
    zr_project.write('[tasks.a]\ncmd = "true"\n')
    env = _with_plugins(zr_project, "zr_hook_recorder,clash_plugin")
    result = zr_project.run("run", "a", env=env)
    assert result.returncode == 2
    assert ("plugins 'zr_hook_recorder' and 'clash_plugin' both claim the task field "
            "'recorded'") in result.stderr


DECLARED_SECTIONS_PLUGIN = """
    from zr import hookimpl
    from zr.config import kinds

    def _declared(doc):
        names = doc.get("widgets", {}).get("names", [])
        return {name: kinds.table("widget", {"size": kinds.POSITIVE_INT}) for name in names}

    @hookimpl
    def zr_config_sections(registry):
        registry.section("widgets", kinds.table("widgets", {"names": kinds.STRING_ARRAY}))
        registry.sections_from(_declared, help="a declared widget's table")
"""


def test_a_plugin_claims_sections_the_document_declares(zr_project):
    zr_project.file("widget_plugin.py", DECLARED_SECTIONS_PLUGIN)
    env = _with_plugins(zr_project, "widget_plugin")
    tasks = '[tasks.a]\ncmd = "echo ok"\n'
    zr_project.write('[widgets]\nnames = ["knob"]\n[knob]\nsize = 3\n' + tasks)
    assert zr_project.run("run", "a", env=env).returncode == 0
    zr_project.write('[widgets]\nnames = ["knob"]\n[knob]\nsize = "big"\n' + tasks)
    result = zr_project.run("run", "a", env=env)
    assert result.returncode == 2
    assert "zr.toml:4: knob.size:" in result.stderr
    zr_project.write('[widgets]\nnames = []\n[knob]\nsize = 3\n' + tasks)
    result = zr_project.run("run", "a", env=env)
    assert result.returncode == 2
    assert "no installed plugin handles [knob]" in result.stderr
    zr_project.write('[widgets]\nnames = ["tasks"]\n' + tasks)
    result = zr_project.run("run", "a", env=env)
    assert result.returncode == 2
    assert "plugins 'core' and 'widget_plugin' both claim the section 'tasks'" in result.stderr
    assert "Traceback" not in result.stderr


def test_disabled_plugin_is_left_out(zr_project):
    zr_project.write('[tasks.a]\ncmd = "true"\nrecorded = "x"\n')
    env = _with_plugins(zr_project, "zr_hook_recorder", ZR_DISABLE_PLUGINS="zr_hook_recorder")
    result = zr_project.run("run", "a", env=env)
    assert result.returncode == 2
    assert "unknown task field 'recorded'" in result.stderr


def test_zr_plugins_lists_distributions_versions_and_hooks(zr_project):
    env = _with_plugins(zr_project, "zr_hook_recorder")
    rows = json.loads(zr_project.run("plugins", "--json", env=env).stdout)
    by_name = {row["name"]: row for row in rows}
    core = by_name["core"]
    assert core["distribution"] == "zr-core" and core["builtin"]
    assert "tasks" in core["sections"] and "cmd" in core["task_fields"]
    assert "run" in by_name["core-commands"]["commands"]
    recorder = by_name["zr_hook_recorder"]
    assert "zr_task_finish" in recorder["hooks"]
    assert recorder["task_fields"] == ["recorded"]
    assert recorder["commands"] == ["recorded-command"]
    text = zr_project.run("plugins", env=env).stdout
    assert "core  (zr-core " in text
    assert "tasks.*.recorded" in text


def test_plugin_index_notices_an_edited_plugin(zr_project):
    plugin = zr_project.file("edited_plugin.py", """
        from zr import hookimpl
    """)
    zr_project.write('[tasks.a]\ncmd = "echo VALUE=$EDITED"\n')
    env = _with_plugins(zr_project, "edited_plugin")
    assert "VALUE=\n" in zr_project.run("run", "a", "-q", env=env).stdout.replace("a | ", "")
    plugin.write_text(
        "from zr import hookimpl\n\n@hookimpl\ndef zr_task_env(env):\n    env['EDITED'] = '1'\n")
    result = zr_project.run("run", "a", "-q", env=env)
    assert "VALUE=1" in result.stdout


def test_listing_graph_unknown_names_and_choosing_come_from_plugins(zr_project):
    zr_project.write('[tasks.a]\ncmd = "true"\n')
    env = _with_plugins(zr_project, "zr_hook_recorder")
    listed = zr_project.run("list", env=env)
    assert "recording (recording)  made by the recorder" in listed.stdout
    rows = json.loads(zr_project.run("list", "--format", "json", env=env).stdout)
    assert {"name": "recording", "description": "made by the recorder",
            "kind": "recording"} in rows
    assert zr_project.run("graph", "--format", "recorded", env=env).stdout == "recorded graph\n"
    unknown = zr_project.run("run", "recording", env=env)
    assert unknown.returncode == 2
    assert "'recording' is a recording, not a task" in unknown.stderr
    zr_project.run("run", env=env)
    calls = _calls(zr_project)
    assert "zr_unknown_task recording" in calls and "zr_choose_targets" in calls
    assert "zr_list_entries" in calls and "zr_graph_render recorded" in calls
