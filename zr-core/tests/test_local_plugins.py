"""Project-local plugins: ``.zr/plugins/*.py`` beside zr.toml, through the
real ``zr`` command."""

from __future__ import annotations

import os
import subprocess
import sys

GREET = '''
"""This project's own plugin: a `greeting` task field and `zr hello`."""
from zr import hookimpl


@hookimpl
def zr_config_sections(registry):
    from zr.api import kinds

    registry.task_field("greeting", kinds.STRING, help="text for $GREETING")


@hookimpl
def zr_task_env(task, env, run):
    if task.field("greeting"):
        env["GREETING"] = task.field("greeting")


@hookimpl
def zr_cli_commands(cli):
    import click

    @click.command("hello", help="Say hello.")
    def hello():
        click.echo("hello from VERSION")
        return 0

    cli.add_command(hello)
'''

ZR_TOML = '[tasks.a]\ncmd = "echo $GREETING"\ngreeting = "hi there"\n'


def test_a_local_plugin_adds_a_task_field_and_a_command(zr_project):
    zr_project.write(ZR_TOML)
    plugin = zr_project.file(".zr/plugins/greet.py", GREET.replace("VERSION", "one"))

    run = zr_project.run("a")
    assert run.returncode == 0, run.output
    assert "a | hi there" in run.stdout
    hello = zr_project.run("hello")
    assert (hello.returncode, hello.stdout) == (0, "hello from one\n"), hello.output
    listing = zr_project.run("plugins")
    assert f"greet  (local: {plugin})" in listing.stdout
    assert "    config: tasks.*.greeting" in listing.stdout
    assert "    commands: hello" in listing.stdout

    # Edited: the cached record is keyed on the file's mtime.
    plugin.write_text(GREET.replace("VERSION", "two"))
    os.utime(plugin, ns=(plugin.stat().st_atime_ns, plugin.stat().st_mtime_ns + 10**9))
    assert zr_project.run("hello").stdout == "hello from two\n"


def test_a_local_plugin_belongs_to_its_project_only(zr_project, tmp_path):
    zr_project.write(ZR_TOML)
    zr_project.file(".zr/plugins/greet.py", GREET)
    other = tmp_path / "other"
    other.mkdir()
    (other / "zr.toml").write_text(ZR_TOML)
    result = subprocess.run([sys.executable, "-m", "zr", "list"], cwd=other,
                            env=zr_project.env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "unknown task field 'greeting'" in result.stderr
    # From a subdirectory of the project, the project's plugins apply.
    (zr_project.path / "sub").mkdir()
    inside = subprocess.run([sys.executable, "-m", "zr", "a"], cwd=zr_project.path / "sub",
                            env=zr_project.env, capture_output=True, text=True)
    assert "a | hi there" in inside.stdout, inside.stderr


def test_a_broken_local_plugin_is_one_warning_naming_the_file(zr_project):
    zr_project.write('[tasks.a]\ncmd = "echo ran"\n')
    broken = zr_project.file(".zr/plugins/broken.py", "x = (\n")
    raising = zr_project.file(".zr/plugins/raising.py", "raise RuntimeError('boom')\n")

    result = zr_project.run("a")
    assert result.returncode == 0, result.output
    assert "a | ran" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"zr: warning: local plugin 'broken' ({broken}) failed to load and is disabled: "
        "SyntaxError: '(' was never closed (broken.py, line 1). zr works without it; fix or "
        "remove the file, or set ZR_STRICT_PLUGINS=1 to make this an error",
        f"zr: warning: local plugin 'raising' ({raising}) failed to load and is disabled: "
        "RuntimeError: boom. zr works without it; fix or remove the file, or set "
        "ZR_STRICT_PLUGINS=1 to make this an error"], warnings

    zr_project.env["ZR_STRICT_PLUGINS"] = "1"
    strict = zr_project.run("a")
    assert strict.returncode == 2
    assert f"zr: error: local plugin 'broken' ({broken}) failed to load" in strict.stderr
    assert "a | ran" not in strict.stdout


def test_a_project_without_local_plugins_imports_nothing_for_them(zr_project):
    zr_project.write('[tasks.plain]\ncmd = "true"\n')
    assert "zr.local_plugins" not in zr_project.loaded_modules("list")
    zr_project.file(".zr/plugins/greet.py", GREET)
    loaded = zr_project.loaded_modules("list")
    assert "zr.local_plugins" in loaded
    assert not any(name.startswith("zr_local_") for name in loaded)  # cached: not imported
