"""The README's first command, exactly as a newcomer pastes it, on a clean
copy of the repository: installs zr from built wheels and runs the example."""

import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _readme_commands() -> list:
    text = (REPO / "README.md").read_text()
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_readme_opens_with_exactly_two_commands():
    text = (REPO / "README.md").read_text()
    head = text.split("\n\n", 1)[1]
    assert head.startswith("```sh\n")
    first, second = _readme_commands()
    assert "\n" not in first and "\n" not in second
    assert "zr run" in first and "examples/" in first
    assert second == "scripts/test"
    assert (REPO / ".ci" / "run").read_text().rstrip().endswith("exec scripts/test")


def _path_without_venv() -> str:
    """PATH as a newcomer has it: without the test environment's venv."""
    venv_bin = str(Path(os.sys.executable).parent)
    return os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != venv_bin)


def test_readme_install_command_runs_the_example(tmp_path):
    checkout = tmp_path / "zr"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        source = REPO / name
        if source.is_file():
            target = checkout / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    command = _readme_commands()[0]
    result = subprocess.run(["bash", "-c", command], cwd=checkout, capture_output=True,
                            text=True, timeout=900,
                            env={"PATH": _path_without_venv(), "HOME": os.environ["HOME"],
                                 "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "ci" in result.stdout and "Bonjour" in result.stdout or "polyglot" in result.stdout
    assert "succeeded" in result.stderr and "failed" not in result.stderr
