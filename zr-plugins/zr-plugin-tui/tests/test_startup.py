"""The plugin costs nothing where it shows nothing: ``zr list`` never imports
it, and a run that is not on a terminal imports only its thin hook module."""

from __future__ import annotations

import json
import subprocess
import sys

PROJECT = """
    [tasks.hello]
    cmd = "echo hello"
"""

# zr's command line in a fresh interpreter, then the modules it loaded.
PROBE = """
import json, sys
from zr.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("MODULES=" + json.dumps(sorted(sys.modules)), file=sys.stderr)
sys.exit(code)
"""


def loaded_modules(zr_project, *args) -> list:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=zr_project.path,
                          env=zr_project.env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES="))
    return json.loads(line[len("MODULES="):])


def test_zr_list_does_not_import_the_plugin(zr_project):
    zr_project.write(PROJECT)
    modules = loaded_modules(zr_project, "list")
    assert "zr.cli" in modules
    assert [m for m in modules if m.startswith("zr_plugin_tui")] == []


def test_a_piped_run_imports_no_view(zr_project):
    zr_project.write(PROJECT)
    modules = loaded_modules(zr_project, "run", "hello")
    # the hooks' module is loaded (it decides there is nothing to show), no view
    assert "zr_plugin_tui.plugin" in modules
    assert [m for m in modules if m.startswith("zr_plugin_tui.")] == ["zr_plugin_tui.plugin"]
    assert "termios" not in modules
