"""The plugin costs nothing where it shows nothing: ``zr list`` never imports
it, and a run that is not on a terminal imports only its thin hook module."""

from __future__ import annotations

PROJECT = """
    [tasks.hello]
    cmd = "echo hello"
"""


def test_zr_list_does_not_import_the_plugin(zr_project):
    zr_project.write(PROJECT)
    modules = zr_project.loaded_modules("list")
    assert "zr.cli" in modules
    assert [m for m in modules if m.startswith("zr_plugin_tui")] == []


def test_a_piped_run_imports_no_view(zr_project):
    zr_project.write(PROJECT)
    modules = zr_project.loaded_modules("run", "hello")
    # the hooks' module is loaded (it decides there is nothing to show), no view
    assert "zr_plugin_tui.plugin" in modules
    assert sorted(m for m in modules if m.startswith("zr_plugin_tui.")) == ["zr_plugin_tui.plugin"]
    assert "termios" not in modules
