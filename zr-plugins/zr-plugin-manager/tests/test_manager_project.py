"""`[plugins]` in zr.toml, `zr plugin info/list/create`, and refusing a system
Python: the real `zr` in temporary projects, nothing installed."""

import os
import site
import subprocess
import sys
from pathlib import Path

import pytest


def test_required_plugin_that_is_missing_stops_the_load_with_the_install_command(zr_project):
    zr_project.write("""
        [plugins]
        required = ["zr-plugin-manager>=0.1", "kubernetes>=1.2"]

        [tasks.hi]
        cmd = "echo hi"
    """)

    result = zr_project.run("run", "hi")

    assert result.returncode == 2
    assert "hi | hi" not in result.stdout
    assert ("zr.toml:2: plugins.required: this project needs plugins that are missing or at "
            "the wrong version: zr-plugin-kubernetes>=1.2 (not installed). Install them with "
            "`zr plugin install --required` (the same as "
            "`zr plugin install 'zr-plugin-kubernetes>=1.2'`)") in result.stderr


def test_required_plugin_at_the_wrong_version_says_which_is_installed(zr_project):
    zr_project.write("""
        [plugins]
        required = ["manager>=9"]

        [tasks.hi]
        cmd = "echo hi"
    """)

    result = zr_project.run("hi")

    assert result.returncode == 2
    assert "zr-plugin-manager>=9 (0.1.0 installed)" in result.stderr


def test_required_plugins_that_are_installed_let_tasks_run(zr_project):
    zr_project.write("""
        [plugins]
        required = ["zr-plugin-manager>=0.1,<1"]

        [tasks.hi]
        cmd = "echo hi"
    """)

    result = zr_project.run("hi")

    assert result.returncode == 0, result.output
    assert "hi | hi" in result.stdout


@pytest.mark.parametrize("table, message", [
    ('required = "docker"', 'zr.toml:2: plugins.required: expected an array of strings, '
                            'got "docker"'),
    ('required = ["docker>>1"]', "zr.toml:2: plugins.required[0]: 'docker>>1' is not a "
                                 'requirement like "zr-plugin-docker>=1.2"'),
    ('requird = ["docker"]', "zr.toml:2: plugins.requird: unknown key 'requird' "
                             "(did you mean 'required'?)"),
    ("index = 3", "zr.toml:2: plugins.index: expected a string, got 3"),
])
def test_a_bad_plugins_table_is_a_located_config_error(zr_project, table, message):
    zr_project.write(f"[plugins]\n{table}\n\n[tasks.hi]\ncmd = \"echo hi\"\n")

    result = zr_project.run("hi")

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_install_required_with_nothing_missing_changes_nothing(zr_project):
    zr_project.write("""
        [plugins]
        required = ["zr-plugin-manager"]
    """)

    result = zr_project.run("plugin", "install", "--required")

    assert result.returncode == 0, result.output
    assert result.stdout == "every plugin zr.toml requires is installed\n"


def test_install_required_without_a_project_is_a_usage_error(zr_project):
    result = zr_project.run("plugin", "install", "--required")

    assert result.returncode == 2
    assert "--required: no zr.toml found" in result.stderr


def test_info_shows_version_origin_compatibility_and_claims(zr_project):
    result = zr_project.run("plugin", "info", "manager")

    assert result.returncode == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "zr-plugin-manager 0.1.0"
    assert any(line.startswith("  from:") and "zr-plugin-manager" in line for line in lines)
    assert "  needs:       zr-core >=0.1,<0.2 (compatible with this zr 0.1.0)" in lines
    assert "  plugin 'manager' (zr_plugin_manager.plugin): loads" in lines
    assert "    sections:    [plugins]" in lines
    assert "    commands:    zr plugin" in lines


def test_info_accepts_the_distribution_name_and_json(zr_project):
    import json

    result = zr_project.run("plugin", "info", "zr-plugin-manager", "--json")

    info = json.loads(result.stdout)
    assert info["distribution"] == "zr-plugin-manager"
    assert info["compatible"] is True
    assert info["plugins"][0]["hooks"] == ["zr_cli_commands", "zr_config_sections",
                                           "zr_configure"]


def test_info_of_a_plugin_only_the_index_knows(zr_project):
    zr_project.file("index.json", """
        {"plugins": [{"name": "zr-plugin-elsewhere", "version": "1.0.0",
                      "summary": "Not installed anywhere", "install": "zr-plugin-elsewhere",
                      "requires_zr": ">=0.1,<0.2"}]}
    """)

    result = zr_project.run("plugin", "info", "elsewhere", "--index", "index.json")

    assert result.returncode == 0, result.output
    assert result.stdout.splitlines() == [
        "zr-plugin-elsewhere 1.0.0",
        "  summary:     Not installed anywhere",
        "  from:        not installed; `zr plugin install elsewhere`",
        "  needs:       zr-core >=0.1,<0.2 (compatible with this zr 0.1.0)",
    ]


def test_info_of_an_unknown_plugin_suggests_a_name(zr_project):
    result = zr_project.run("plugin", "info", "managr")

    assert result.returncode == 2
    assert "no plugin 'managr' is installed or listed in the plugin index (did you mean " \
           "'manager'?)" in result.stderr


def test_plugin_list_is_zr_plugins(zr_project):
    listed = zr_project.run("plugin", "list")
    kernel = zr_project.run("plugins")

    assert listed.returncode == 0
    assert listed.stdout == kernel.stdout
    assert "manager  (zr-plugin-manager 0.1.0)" in listed.stdout


def test_remove_refuses_the_kernel_and_unknown_names(zr_project):
    core = zr_project.run("plugin", "remove", "core")
    unknown = zr_project.run("plugin", "remove", "managre")

    assert core.returncode == 2
    assert "'core' is part of zr-core itself and cannot be removed" in core.stderr
    assert unknown.returncode == 2
    assert "no installed plugin is called 'managre' (did you mean 'manager'?)" in unknown.stderr


def test_create_writes_a_plugin_distribution(zr_project):
    result = zr_project.run("plugin", "create", "deploy-tools")

    assert result.returncode == 0, result.output
    root = zr_project.path / "zr-plugin-deploy-tools"
    assert "created zr-plugin-deploy-tools/" in result.stdout
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) == [
        ".github/workflows/publish.yml", ".github/workflows/tests.yml",
        "README.md", "pyproject.toml", "src/zr_plugin_deploy_tools/__init__.py",
        "src/zr_plugin_deploy_tools/commands.py", "src/zr_plugin_deploy_tools/plugin.py",
        "tests/test_deploy_tools.py"]
    pyproject = (root / "pyproject.toml").read_text()
    assert 'deploy-tools = "zr_plugin_deploy_tools.plugin"' in pyproject
    assert '"zr-core>=0.1,<0.2"' in pyproject
    plugin = (root / "src/zr_plugin_deploy_tools/plugin.py").read_text()
    assert 'env[GREETING_VARIABLE] = "hello from zr-plugin-deploy-tools"' in plugin
    assert "run.printer.debug(" in plugin  # its lines honour -q, -v, --no-color
    compile(plugin, "plugin.py", "exec")


def test_create_stubs_the_hooks_asked_for_with_their_documentation(zr_project):
    result = zr_project.run("plugin", "create", "audit", "--hook", "zr_task_finish",
                            "--hook", "zr_task_executor", "--hook", "zr_task_env")

    assert result.returncode == 0, result.output
    plugin = (zr_project.path / "zr-plugin-audit/src/zr_plugin_audit/plugin.py").read_text()
    assert "@hookimpl\ndef zr_task_finish(task, result, run):\n" in plugin
    assert "@hookimpl\ndef zr_task_executor(task, plan, run):\n" in plugin
    assert "A task has finished (succeeded, failed, was skipped" in plugin
    assert "return None  # None: let the next plugin (or zr) decide" in plugin
    assert plugin.count("def zr_task_env(") == 1
    compile(plugin, "plugin.py", "exec")


def test_create_refuses_unknown_hooks_bad_names_and_existing_directories(zr_project):
    (zr_project.path / "zr-plugin-taken").mkdir()

    hook = zr_project.run("plugin", "create", "x", "--hook", "zr_task_finsh")
    name = zr_project.run("plugin", "create", "Bad Name")
    taken = zr_project.run("plugin", "create", "taken")

    assert hook.returncode == 2
    assert "--hook zr_task_finsh: no such hook (did you mean 'zr_task_finish'?)" in hook.stderr
    assert not (zr_project.path / "zr-plugin-x").exists()
    assert name.returncode == 2
    assert "'Bad Name' is not a usable plugin name" in name.stderr
    assert taken.returncode == 2
    assert "zr-plugin-taken already exists" in taken.stderr
    assert list((zr_project.path / "zr-plugin-taken").iterdir()) == []


def _system_python() -> str:
    """The interpreter this venv was made from: a Python that is no venv."""
    base = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return str(base)


def test_install_refuses_a_system_python_and_says_how_to_fix_it(zr_project):
    # Run zr from the base interpreter, with this venv's packages added as a
    # site dir: zr then runs from a Python whose prefix is its base prefix.
    launcher = ("import site, sys; site.addsitedir(sys.argv.pop(1)); "
                "from zr.__main__ import main; sys.exit(main())")
    result = subprocess.run(
        [_system_python(), "-c", launcher, site.getsitepackages()[0], "plugin", "install",
         "docker"], cwd=zr_project.path, env={**zr_project.env, "PYTHONNOUSERSITE": "1"},
        capture_output=True, text=True)

    assert result.returncode == 2, result.stderr
    assert "(not a virtual environment)" in result.stderr
    assert "Install zr in a virtual environment" in result.stderr
    assert "or pass --system to install into this Python anyway" in result.stderr


def test_pep_668_marker_is_named_when_refusing(tmp_path):
    from zr.errors import ZrError
    from zr_plugin_manager.environment import TargetEnvironment

    (tmp_path / "EXTERNALLY-MANAGED").write_text("[externally-managed]\n")
    env = TargetEnvironment("/usr/bin/python3", "/usr", "/usr", str(tmp_path))
    venv = TargetEnvironment("/v/bin/python", "/v", "/usr", str(tmp_path))

    with pytest.raises(ZrError, match="marks as externally managed"):
        env.refuse_system()
    venv.refuse_system()  # a virtual environment is fine, marker or not
    assert "--break-system-packages" in env.installer().install_argv(["x"])
    assert "--break-system-packages" not in venv.installer().install_argv(["x"])


@pytest.mark.parametrize("given, kind, target", [
    ("docker", "requirement", "zr-plugin-docker"),
    ("zr-plugin-docker>=1.2", "requirement", "zr-plugin-docker>=1.2"),
    ("Cache_S3", "requirement", "zr-plugin-cache-s3"),
    ("git+https://example.com/p.git@v1", "url", "git+https://example.com/p.git@v1"),
])
def test_install_arguments_are_classified(given, kind, target):
    from zr_plugin_manager.names import classify

    argument = classify(given)

    assert (argument.kind, argument.target) == (kind, target)


def test_a_folder_named_like_a_plugin_does_not_shadow_it(tmp_path, monkeypatch):
    from zr_plugin_manager.names import classify

    (tmp_path / "docker").mkdir()
    monkeypatch.chdir(tmp_path)

    assert classify("docker").kind == "requirement"
    (tmp_path / "docker" / "pyproject.toml").write_text('[project]\nname = "mine"\n')
    assert (classify("docker").kind, classify("docker").distribution) == ("path", "mine")
    assert os.path.isabs(classify("docker").target)


def test_install_without_anything_to_install_is_a_usage_error(zr_project):
    result = zr_project.run("plugin", "install")

    assert result.returncode == 2
    assert "name what to install: `zr plugin install NAME|PATH|git+URL[@ref]`" in result.stderr


def test_editable_install_of_a_name_is_a_usage_error(zr_project):
    result = zr_project.run("plugin", "install", "-e", "docker")

    assert result.returncode == 2
    assert "-e/--editable installs local project directories only" in result.stderr
