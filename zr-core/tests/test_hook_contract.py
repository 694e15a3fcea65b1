"""The hook contract the plugin host honours: unknown hooks are refused
naming the plugin and the nearest hook, ``specname`` works everywhere,
``module:attr`` entry points keep their attribute, ``pm`` registers every
plugin, calling modes come from the specs, failures name the plugin and
its distribution, and observer failures change nothing."""

import os
import textwrap
from pathlib import Path

import pytest

PLUGIN_DIR = Path(__file__).parent / "plugins"
pytestmark = pytest.mark.crossversion


def plugin_env(project, modules: str, **extra) -> dict:
    env = {"ZR_PLUGINS": modules,
           "PYTHONPATH": os.pathsep.join([str(PLUGIN_DIR), str(project.path)]),
           "ZR_HOOK_LOG": str(project.path / "hooks.log")}
    env.update(extra)
    return env


def test_a_misspelled_hook_is_refused_naming_the_plugin_and_the_nearest_hook(zr_project):
    zr_project.file("typo_plugin.py", """
        from zr.api import hookimpl

        @hookimpl
        def zr_task_finsh(task, result, run):
            print("never called")
    """)
    zr_project.write('[tasks.a]\ncmd = "echo a ran"\n')
    env = plugin_env(zr_project, "typo_plugin")
    result = zr_project.run("run", "a", env=env)
    assert result.returncode == 0
    assert ("plugin 'typo_plugin' (?) failed to load and is disabled: it implements "
            "'zr_task_finsh', which is not a zr hook (did you mean 'zr_task_finish'?)"
            ) in result.stderr
    strict = zr_project.run("run", "a", env={**env, "ZR_STRICT_PLUGINS": "1"})
    assert strict.returncode == 2
    assert "did you mean 'zr_task_finish'?" in strict.stderr
    assert "a ran" not in strict.stdout


def test_an_argument_the_hook_does_not_pass_is_refused(zr_project):
    zr_project.file("args_plugin.py", """
        from zr.api import hookimpl

        @hookimpl
        def zr_task_env(task, environment):
            pass
    """)
    zr_project.write('[tasks.a]\ncmd = "true"\n')
    result = zr_project.run("run", "a", env=plugin_env(zr_project, "args_plugin"))
    assert "asks for 'environment', which zr_task_env does not pass" in result.stderr


def test_specname_is_honoured_on_claim_hooks_and_run_hooks(zr_project):
    zr_project.file("specname_plugin.py", """
        from zr.api import STRING, hookimpl

        @hookimpl(specname="zr_config_sections")
        def claim_fields(registry):
            registry.task_field("owner", STRING, help="who owns it")

        @hookimpl(specname="zr_task_env")
        def owner_env(task, env):
            env["OWNER"] = task.field("owner") or "nobody"
    """)
    zr_project.write('[tasks.a]\ncmd = "echo owner=$OWNER"\nowner = "ops"\n')
    result = zr_project.run("run", "a", env=plugin_env(zr_project, "specname_plugin"))
    assert result.returncode == 0, result
    assert "owner=ops" in result.stdout


def test_an_entry_point_module_attr_keeps_its_attribute(zr_project):
    site = zr_project.path / "site"
    (site / "attrplug-0.1.dist-info").mkdir(parents=True)
    (site / "attrplug-0.1.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: attrplug\nVersion: 0.1\n")
    (site / "attrplug-0.1.dist-info" / "entry_points.txt").write_text(
        "[zr]\nattrplug = attrplug_mod:PLUGIN\n")
    (site / "attrplug_mod.py").write_text(textwrap.dedent("""
        from zr.api import hookimpl

        class Plugin:
            @hookimpl
            def zr_task_env(self, env):
                env["FROM_ATTR"] = "yes"

        PLUGIN = Plugin()

        @hookimpl
        def zr_task_env(env):  # the module's own: must not be the one used
            env["FROM_ATTR"] = "module"
    """))
    zr_project.write('[tasks.a]\ncmd = "echo from_attr=$FROM_ATTR"\n')
    result = zr_project.run("run", "a", env={"PYTHONPATH": str(site)})
    assert result.returncode == 0, result
    assert "from_attr=yes" in result.stdout


def test_pm_registers_every_plugin_and_call_reads_firstresult_from_the_spec(zr_project):
    zr_project.file("asker_plugin.py", """
        from zr.api import hookimpl, hookspec

        class Specs:
            @hookspec(firstresult=True)
            def zr_demo_answer():
                "The first answer."

        @hookimpl
        def zr_addhooks(pluginmanager):
            pluginmanager.add_hookspecs(Specs)

        @hookimpl
        def zr_configure(config):
            import os
            through_call = config.plugins.call("zr_demo_answer")
            through_pm = config.plugins.pm.hook.zr_demo_answer()
            with open(os.environ["ZR_HOOK_LOG"], "w") as fh:
                fh.write(f"{through_call!r} {through_pm!r}")
    """)
    # Implements only the added hook: nothing imports it before pm is built.
    zr_project.file("answer_plugin.py", """
        from zr.api import hookimpl

        @hookimpl
        def zr_demo_answer():
            return 42
    """)
    zr_project.write('[tasks.a]\ncmd = "true"\n')
    result = zr_project.run("run", "a", env=plugin_env(zr_project, "asker_plugin,answer_plugin"))
    assert result.returncode == 0, result
    assert (zr_project.path / "hooks.log").read_text() == "42 42"


def test_a_failing_transform_fails_its_task_naming_the_plugin(zr_project):
    zr_project.write("""
        [tasks.transform-breaks]
        cmd = "echo should not run"
        [tasks.fine]
        cmd = "echo fine ran"
    """)
    env = plugin_env(zr_project, "zr_failing_hooks")
    result = zr_project.run("run", "transform-breaks", "fine", "--keep-going", env=env)
    assert result.returncode == 1
    assert ("transform-breaks failed (plugin 'zr_failing_hooks' (?) failed in zr_task_plan: "
            "KeyError: 'NO_SUCH_KEY')") in result.stderr
    assert "should not run" not in result.stdout
    assert "Traceback" not in result.stderr
    debug = zr_project.run("run", "transform-breaks", env={**env, "ZR_DEBUG": "1"})
    assert "Traceback" in debug.stderr and "raise KeyError" in debug.stderr


def test_a_failing_observer_is_a_warning_that_changes_nothing(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo a ran"\n')
    env = plugin_env(zr_project, "zr_failing_hooks,zr_hook_recorder")
    result = zr_project.run("run", "a", env=env)
    assert result.returncode == 0, result
    assert "a ran" in result.stdout
    assert ("warning: plugin 'zr_failing_hooks' (?) failed in zr_task_finish: "
            "RuntimeError: observer broke on a") in result.stderr
    assert "failed in zr_run_finish: ValueError: run observer broke" in result.stderr
    calls = (zr_project.path / "hooks.log").read_text().splitlines()
    # The other plugin's observers still ran.
    assert "zr_task_finish a=success" in calls and "zr_run_finish exit=0" in calls


def test_the_plugin_index_records_specs_added_by_plugins():
    from zr.plugins import describe_specs, kernel_specs

    specs = kernel_specs()
    assert specs["zr_task_executor"]["firstresult"] and not specs["zr_task_plan"]["firstresult"]
    assert specs["zr_addhooks"]["historic"]
    assert specs["zr_task_finish"]["observer"] and not specs["zr_task_plan"]["observer"]
    assert specs["zr_task_plan"]["args"] == ["task", "plan", "run"]

    class Added:
        from zr.api import hookspec

        @hookspec(firstresult=True)
        def zr_added(task, flag):
            "An added hook."

    assert describe_specs(Added) == {"zr_added": {"firstresult": True, "historic": False,
                                                  "observer": False, "args": ["task", "flag"]}}
