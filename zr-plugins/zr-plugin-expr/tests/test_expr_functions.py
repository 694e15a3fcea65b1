"""The built-in functions, against real files and real shell processes."""

import hashlib
import os
import time

import pytest

from zr.errors import PluginError, ZrError
from zr_plugin_expr import EvalContext, FunctionRegistry, evaluate


def value(source, cwd, **context):
    return evaluate(source, EvalContext(cwd=cwd, **context))


def touch(path, mtime):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x")
    os.utime(path, (mtime, mtime))


def test_file_exists_resolves_against_cwd(tmp_path):
    (tmp_path / "package.json").write_text("{}")
    (tmp_path / "src").mkdir()
    assert value("file.exists('package.json')", tmp_path) is True
    assert value("file.exists('src')", tmp_path) is True
    assert value("file.exists('missing.txt')", tmp_path) is False


def test_file_newer_is_true_when_target_is_missing(tmp_path):
    touch(tmp_path / "src" / "main.c", 1000)
    assert value("file.newer('build/app', 'src')", tmp_path) is True


def test_file_newer_walks_directories(tmp_path):
    touch(tmp_path / "src" / "a.c", 1000)
    touch(tmp_path / "src" / "deep" / "b.c", 1000)
    touch(tmp_path / "dist" / "app", 2000)
    assert value("file.newer('dist', 'src')", tmp_path) is False
    touch(tmp_path / "src" / "deep" / "b.c", 3000)  # a nested source changed
    assert value("file.newer('dist', 'src')", tmp_path) is True
    assert value("file.newer('dist/app', 'src/a.c')", tmp_path) is False


def test_file_newer_with_a_missing_source_is_an_error(tmp_path):
    with pytest.raises(ZrError, match="file.newer: source 'nope' does not exist"):
        value("file.newer('out', 'nope')", tmp_path)


def test_file_hash_is_the_sha256_of_the_contents(tmp_path):
    (tmp_path / "lock").write_bytes(b"pinned\n")
    digest = hashlib.sha256(b"pinned\n").hexdigest()
    assert value("file.hash('lock')", tmp_path) == digest
    assert value(f"file.hash('lock') == '{digest}'", tmp_path) is True


@pytest.mark.parametrize("path, message", [
    ("missing", "file.hash: 'missing' does not exist at column 1"),
    (".", "file.hash: '.' is a directory; give a file at column 1"),
])
def test_file_hash_errors(tmp_path, path, message):
    with pytest.raises(ZrError) as caught:
        value(f"file.hash('{path}')", tmp_path)
    assert str(caught.value) == message


def test_shell_is_true_on_exit_zero(tmp_path):
    assert value("shell('exit 0')", tmp_path) is True
    assert value("shell('exit 3')", tmp_path) is False
    assert value("shell('command -v sh')", tmp_path) is True
    assert value("shell('command -v no-such-program-zr')", tmp_path) is False


def test_shell_runs_in_cwd_with_the_context_environment(tmp_path):
    (tmp_path / "here").write_text("")
    assert value("shell('test -f here')", tmp_path) is True
    assert value("shell('test \"$GREETING\" = hi')", tmp_path,
                 env={"GREETING": "hi", "PATH": os.environ["PATH"]}) is True


def test_shell_that_runs_too_long_is_killed_with_its_children(tmp_path):
    pid_file = tmp_path / "pid"
    with pytest.raises(ZrError, match="did not finish within 0.5s"):
        value(f"shell('sleep 30 & echo $! > {pid_file}; wait')", tmp_path, shell_timeout=0.5)
    pid = int(pid_file.read_text())
    assert _ends_soon(pid), f"the shell's child {pid} survived the timeout"


def _ends_soon(pid: int) -> bool:
    """Whether ``pid`` is dead (or a zombie: nothing reaps orphans on the test
    machines) within a few seconds; SIGKILL is delivered asynchronously."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("source", [
    "semver.gte('1.10.0', '1.9.0')", "semver.gt('2.0.0', '1.99.99')",
    "semver.eq('v1.2', '1.2.0')", "semver.eq('1.2.3+build.5', '1.2.3')",
    "semver.lt('1.0.0-alpha', '1.0.0-alpha.1')", "semver.lt('1.0.0-alpha.1', '1.0.0-beta')",
    "semver.lt('1.0.0-beta.2', '1.0.0-beta.11')", "semver.lt('1.0.0-rc.1', '1.0.0')",
    "semver.lte('1.2.3', '1.2.3')", "semver.gte('18.2.0', 18)",
    "!semver.gte('1.9.9', '1.10')", "!semver.gt('1.0.0', '1.0.0')",
])
def test_semver_comparisons(tmp_path, source):
    assert value(source, tmp_path) is True


@pytest.mark.parametrize("version", ["abc", "1.2.3.4", "1..2", "1.0.0-", "1.0.0-a..b", ""])
def test_invalid_versions_are_clean_errors(tmp_path, version):
    with pytest.raises(ZrError, match="semver.gte: .* at column 1"):
        value(f"semver.gte('{version}', '1.0.0')", tmp_path)


def test_registry_refuses_duplicates_reserved_and_malformed_names():
    registry = FunctionRegistry()
    registry.owner = "git"
    registry.register("git.branch", lambda ctx: "main")
    registry.owner = "vcs"
    with pytest.raises(PluginError, match="plugins 'git' and 'vcs' both define the expression"
                                          " function 'git.branch'; uninstall one of them"):
        registry.register("git.branch", lambda ctx: "dev")
    with pytest.raises(PluginError, match="plugin 'vcs': .* would hide the built-in name 'env'"):
        registry.register("env.extra", lambda ctx: "")
    with pytest.raises(PluginError, match="'git..branch' is not a dotted name"):
        registry.register("git..branch", lambda ctx: "")
    with pytest.raises(PluginError, match="'git.head' is not callable"):
        registry.register("git.head", "HEAD")
