"""Plugins use only the kernel's public API.

Every plugin in the repository is an example for third-party authors and
must keep working when the kernel's private modules change, so it may
import only ``zr``, ``zr.api``, ``zr.model``, ``zr.errors``, ``zr.config``
(its package names, not its submodules) and ``zr.testing``. This lists the
kernel modules each plugin imports (by reading its source) and fails on
any other, naming the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import zr
import zr.api

REPO = Path(__file__).resolve().parents[2]
PUBLIC = {"zr", "zr.api", "zr.model", "zr.errors", "zr.config", "zr.testing"}
KERNEL_DIR = Path(zr.__file__).parent


def plugin_sources() -> list:
    roots = sorted(REPO.glob("zr-plugins/*/src")) + sorted(REPO.glob("zr-plugin-*/src"))
    return [path for root in roots for path in sorted(root.rglob("*.py"))]


def _is_kernel_module(name: str) -> bool:
    relative = name.split(".")[1:]
    base = KERNEL_DIR.joinpath(*relative)
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def kernel_imports(source: str) -> list:
    """``(line, module)`` for each kernel module ``source`` imports;
    ``from zr import x`` counts as ``zr.x`` when ``x`` is a module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names
                      if alias.name == "zr" or alias.name.startswith("zr.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                node.module == "zr" or node.module.startswith("zr.")):
            found.append((node.lineno, node.module))
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                if _is_kernel_module(submodule):
                    found.append((node.lineno, submodule))
    return found


def private_imports(paths) -> list:
    problems = []
    for path in paths:
        for line, module in kernel_imports(path.read_text()):
            if module not in PUBLIC:
                problems.append(f"{path.relative_to(REPO)}:{line}: imports {module}")
    return problems


def test_plugins_import_only_the_public_api():
    sources = plugin_sources()
    assert len(sources) > 50, "no plugin sources found: the test would check nothing"
    assert private_imports(sources) == []


def test_the_check_sees_every_way_of_importing_a_private_module(tmp_path):
    plugin = tmp_path / "plugin.py"
    plugin.write_text(
        "import zr.scheduler\nfrom zr.runner import make_plan\nfrom zr import process, model\n"
        "from zr.api import hookimpl\nfrom zr.config import kinds\n"
        "def f():\n    from zr.config.kinds import STRING\n")
    global REPO
    saved, REPO = REPO, tmp_path
    try:
        assert private_imports([plugin]) == [
            "plugin.py:1: imports zr.scheduler", "plugin.py:2: imports zr.runner",
            "plugin.py:3: imports zr.process", "plugin.py:5: imports zr.config.kinds",
            "plugin.py:7: imports zr.config.kinds"]
    finally:
        REPO = saved


def test_every_public_name_resolves():
    for name in zr.api.__all__:
        assert getattr(zr.api, name) is not None, name
