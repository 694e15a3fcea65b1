"""The example project a newcomer runs first works, with the real `zr` command.

`examples/polyglot` is copied to a temporary directory and driven exactly as
its README tells a user to: `zr list`, `zr run ci` (from the project and from
a sub-directory). The assertions are on what the user sees: exit codes, each
task's report, the program zr built, and the release tarball.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "polyglot"
VERSION = (EXAMPLE / "VERSION").read_text().strip()
TOOLS_THE_EXAMPLE_NEEDS = ("sh", "python3", "gcc", "node", "tar")

PUBLIC_TASKS = {
    "generate": "Generate the C header and the JS data module",
    "compile": "Build the polyglot command-line program with gcc",
    "package": "Pack the program, README and VERSION into dist/",
    "clean": "Remove build/ and dist/",
    "lint": "Run every linter (C, Python, JavaScript) in parallel",
    "lint:c": "Check the C source with gcc",
    "lint:py": "Byte-compile every Python file",
    "lint:js": "Syntax-check every JavaScript file with node --check",
    "test": "Run the C, Python and JavaScript tests in parallel",
    "test:c": "Run the compiled program and check what it prints",
    "test:py": "Unit-test the generator (Python unittest)",
    "test:js": "Unit-test the JavaScript module (node --test)",
    "check": "Lint and test everything, in parallel",
    "ci": "What CI runs: lint and test everything, then package the release",
}


def zr_command() -> str:
    """The installed `zr` script: next to this interpreter first, else on PATH."""
    found = shutil.which("zr", path=os.path.dirname(sys.executable)) or shutil.which("zr")
    assert found, "the `zr` command is not installed in this environment (pip install -e zr-core)"
    return found


def run_zr(*args: str, project: Path, subdir: str = ".") -> subprocess.CompletedProcess:
    """Run `zr` in ``project/subdir`` as a user would in a terminal-less shell,
    output merged, with zr's state kept beside (not inside) the project."""
    env = {**os.environ, "NO_COLOR": "1", "ZR_HOME": str(project.parent / "zr-home")}
    # As in an activated virtualenv: its python3 first (not a slower version-manager shim).
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    # The example keeps its source tree free of bytecode through its own [env];
    # inherit nothing that would make that check pass on its own.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return subprocess.run(
        [zr_command(), *args], cwd=project / subdir, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, timeout=120,
    )


def fresh_copy(tmp_path: Path) -> Path:
    """A copy of the example without anything a previous build left behind."""
    missing = [tool for tool in TOOLS_THE_EXAMPLE_NEEDS if shutil.which(tool) is None]
    assert not missing, f"the example project needs these tools on PATH: {', '.join(missing)}"
    project = tmp_path / "polyglot"
    shutil.copytree(EXAMPLE, project,
                    ignore=shutil.ignore_patterns("build", "dist", "__pycache__"))
    return project


@pytest.fixture(scope="module")
def ci_run(tmp_path_factory):
    """One `zr run ci` in a fresh copy, shared by the assertions below."""
    project = fresh_copy(tmp_path_factory.mktemp("example"))
    return project, run_zr("run", "ci", project=project)


def test_ci_succeeds(ci_run):
    _, result = ci_run
    assert result.returncode == 0, result.stdout


def test_ci_reports_what_each_task_did(ci_run):
    _, result = ci_run
    output = result.stdout
    assert f"generate: 7 greetings, version {VERSION} -> build/gen/" in output
    assert "lint:c: src/polyglot.c compiles cleanly" in output
    assert "lint:py: 6 Python files compile" in output
    assert "lint:js: 2 JavaScript files parse" in output
    assert "compile: build/bin/polyglot (gcc -O2 -Wall -Wextra -std=c99)" in output
    assert "test:c: 8 checks of build/bin/polyglot passed" in output
    assert re.search(r"Ran 12 tests in [\d.]+s", output), output
    assert "greets by name in another language" in output
    assert re.search(r"pass 4\b", output), output
    assert f"package: dist/polyglot-{VERSION}.tar.gz (3 files)" in output


def test_ci_generates_before_compiling_and_packages_last(ci_run):
    _, result = ci_run
    output = result.stdout
    generated = output.index("generate: ")
    compiled = output.index("compile: build/bin/polyglot")
    packaged = output.index("package: dist/")
    assert generated < compiled < packaged
    for check in ("lint:c: ", "lint:py: ", "lint:js: ", "test:c: ", "pass 4"):
        assert output.index(check) < packaged, f"{check!r} reported after packaging"


def test_ci_builds_a_program_that_greets(ci_run):
    project, _ = ci_run
    program = project / "build" / "bin" / "polyglot"
    greeting = subprocess.run([str(program), "fr", "Ada"], capture_output=True, text=True)
    assert greeting.stdout == "Bonjour, Ada!\n"
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True)
    assert version.stdout == f"polyglot {VERSION}\n"


def test_ci_packages_the_release_tarball(ci_run):
    project, _ = ci_run
    tarball = project / "dist" / f"polyglot-{VERSION}.tar.gz"
    with tarfile.open(tarball) as archive:
        files = {member.name for member in archive.getmembers() if member.isfile()}
        shipped_version = archive.extractfile(f"polyglot-{VERSION}/VERSION").read().decode()
    assert files == {f"polyglot-{VERSION}/bin/polyglot", f"polyglot-{VERSION}/README.md",
                     f"polyglot-{VERSION}/VERSION"}
    assert shipped_version.strip() == VERSION


def test_ci_leaves_the_source_tree_clean(ci_run):
    project, _ = ci_run
    stray = sorted(str(path.relative_to(project)) for path in project.rglob("__pycache__")
                   if "build" not in path.relative_to(project).parts)
    assert stray == []


def test_list_shows_every_public_task_with_its_description(tmp_path):
    project = fresh_copy(tmp_path)
    result = run_zr("list", project=project, subdir="js")
    assert result.returncode == 0, result.stdout
    listed = {line.split(None, 1)[0]: line for line in result.stdout.splitlines() if line.strip()}
    for name, description in PUBLIC_TASKS.items():
        assert name in listed, f"`zr list` does not list {name}:\n{result.stdout}"
        assert description in listed[name], \
            f"`zr list` shows {name} without its description: {listed[name]!r}"


def test_tasks_run_in_the_project_when_zr_is_started_in_a_sub_directory(tmp_path):
    project = fresh_copy(tmp_path)
    result = run_zr("run", "test:py", "package", project=project, subdir="src")
    assert result.returncode == 0, result.stdout
    assert re.search(r"Ran 12 tests in [\d.]+s", result.stdout), result.stdout
    assert f"package: dist/polyglot-{VERSION}.tar.gz (3 files)" in result.stdout
    assert (project / "dist" / f"polyglot-{VERSION}.tar.gz").is_file()
    assert sorted(path.name for path in (project / "src").iterdir()) == ["polyglot.c"]
