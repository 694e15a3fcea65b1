"""`zr plugin` changing a real environment: a fresh virtual environment with
zr-core and zr-plugin-manager installed from this checkout (not editable),
plugins created with `zr plugin create`, installed from paths and git tags,
broken on purpose, removed. One venv per test module (and xdist worker)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def find_uv() -> str:
    beside = Path(sys.executable).parent / "uv"
    found = str(beside) if beside.exists() else shutil.which("uv")
    if not found:
        pytest.fail("uv is needed to build the test environment (scripts/dev-install "
                    "installs it)", pytrace=False)
    return found


class Venv:
    """A virtual environment with zr in it, and a way to run its `zr`."""

    def __init__(self, path: Path, uv: str):
        self.path = path
        self.uv = uv
        self.python = str(path / "bin" / "python")
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("ZR_", "PYTEST_", "VIRTUAL_ENV", "PYTHONPATH"))}
        self.env.update({"PATH": f"{path / 'bin'}{os.pathsep}{Path(uv).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}", "NO_COLOR": "1"})

    def run(self, argv: list, cwd: Path, env: dict | None = None, timeout: float = 300):
        return subprocess.run(argv, cwd=cwd, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)

    def zr(self, *args: str, cwd: Path, env: dict | None = None):
        home = {"ZR_HOME": str(cwd / ".zr-home") if "ZR_HOME" not in (env or {}) else
                env["ZR_HOME"]}
        return self.run([str(self.path / "bin" / "zr"), *args], cwd, {**home, **(env or {})})

    def uv_pip(self, *args: str, cwd: Path):
        return self.run([self.uv, "pip", *args, "--python", self.python], cwd)

    def plugin_names(self, cwd: Path) -> list:
        result = self.zr("plugins", "--json", cwd=cwd)
        return [row["name"] for row in json.loads(result.stdout)]


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Venv:
    root = tmp_path_factory.mktemp("manager-venv")
    uv = find_uv()
    made = subprocess.run([uv, "venv", "-q", "--seed", "-p", sys.executable,
                           str(root / "venv")], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    env = Venv(root / "venv", uv)
    # --no-sources: zr-core from its directory as a built wheel, not the
    # workspace's editable source.
    installed = env.uv_pip("install", "-q", "--no-sources", "--compile-bytecode",
                           str(REPO / "zr-core"), str(REPO / "zr-plugins/zr-plugin-manager"),
                           "pytest>=7", cwd=root)
    assert installed.returncode == 0, installed.stderr
    return env


def create(venv: Venv, where: Path, name: str) -> Path:
    result = venv.zr("plugin", "create", name, cwd=where)
    assert result.returncode == 0, result.stderr
    return where / f"zr-plugin-{name}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=zr tests", "-c", "user.email=tests@zr.invalid",
                    *args], cwd=repo, check=True, capture_output=True)


def test_a_created_plugin_installs_passes_its_own_tests_works_and_is_removed(venv, tmp_path):
    create(venv, tmp_path, "hello")

    installed = venv.zr("plugin", "install", "./zr-plugin-hello", cwd=tmp_path)

    assert installed.returncode == 0, installed.stderr
    assert installed.stdout == (f"installed zr-plugin-hello 0.1.0 from path "
                                f"{tmp_path / 'zr-plugin-hello'}; plugin 'hello' adds "
                                "`zr hello`\n")
    assert f"installing ./zr-plugin-hello in {venv.python} with uv" in installed.stderr
    own_tests = venv.run([venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         tmp_path / "zr-plugin-hello")
    assert own_tests.returncode == 0, own_tests.stdout + own_tests.stderr
    assert "5 passed" in own_tests.stdout
    assert "hello" in venv.plugin_names(tmp_path)
    greeting = venv.zr("hello", "--name", "Ada", cwd=tmp_path)
    assert (greeting.returncode, greeting.stdout) == (0, "hello, Ada, from zr-plugin-hello\n")

    removed = venv.zr("plugin", "remove", "zr-plugin-hello", cwd=tmp_path)

    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == "removed zr-plugin-hello 0.1.0 (plugin 'hello')\n"
    assert "hello" not in venv.plugin_names(tmp_path)
    assert venv.zr("hello", cwd=tmp_path).returncode == 2  # now just an unknown task


def test_install_from_a_git_tag_and_update_follows_the_tag(venv, tmp_path):
    repo = create(venv, tmp_path, "tagged")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first release")
    git(repo, "tag", "v1")
    url = f"git+{repo.as_uri()}@v1"

    installed = venv.zr("plugin", "install", url, cwd=tmp_path)

    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.startswith(f"installed zr-plugin-tagged 0.1.0 from {url} (commit ")
    info = venv.zr("plugin", "info", "tagged", cwd=tmp_path)
    assert f"  from:        {url} (commit " in info.stdout

    edit(repo / "pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"')
    git(repo, "commit", "-q", "-am", "second release")
    git(repo, "tag", "-f", "v1")
    updated = venv.zr("plugin", "update", "tagged", cwd=tmp_path)

    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.startswith(f"updated zr-plugin-tagged 0.1.0 -> 0.2.0 from {url}")
    assert venv.zr("plugin", "remove", "tagged", cwd=tmp_path).returncode == 0


def test_a_plugin_whose_import_raises_is_rolled_back(venv, tmp_path):
    plugin = create(venv, tmp_path, "broken")
    with open(plugin / "src/zr_plugin_broken/plugin.py", "a") as fh:
        fh.write('\nraise RuntimeError("broken on purpose")\n')

    result = venv.zr("plugin", "install", "./zr-plugin-broken", cwd=tmp_path)

    assert result.returncode == 2
    assert ("zr: error: could not install ./zr-plugin-broken: plugin 'broken' from "
            "zr-plugin-broken fails to load: RuntimeError: broken on purpose. Rolled back: "
            "removed zr-plugin-broken\n") in result.stderr
    assert "broken" not in venv.plugin_names(tmp_path)


def test_a_broken_plugin_installed_behind_zrs_back_is_reported_and_zr_works(venv, tmp_path):
    plugin = create(venv, tmp_path, "sneaky")
    with open(plugin / "src/zr_plugin_sneaky/plugin.py", "a") as fh:
        fh.write('\nraise ImportError("no sneaking")\n')
    assert venv.uv_pip("install", "-q", "--no-deps", str(plugin), cwd=tmp_path).returncode == 0
    (tmp_path / "zr.toml").write_text('[tasks.hi]\ncmd = "echo hi"\n')

    run = venv.zr("run", "hi", cwd=tmp_path)
    info = venv.zr("plugin", "info", "sneaky", cwd=tmp_path)
    removed = venv.zr("plugin", "remove", "sneaky", cwd=tmp_path)

    assert run.returncode == 0, run.stderr
    assert "hi | hi" in run.stdout
    assert ("plugin 'sneaky' (zr-plugin-sneaky 0.1.0) failed to load and is disabled: "
            "ImportError: no sneaking") in run.stderr
    assert "  plugin 'sneaky' (zr_plugin_sneaky.plugin): BROKEN: ImportError: no sneaking" \
        in info.stdout
    assert removed.returncode == 0, removed.stderr
    assert "sneaky" not in venv.plugin_names(tmp_path)


def test_a_plugin_for_another_zr_core_is_refused(venv, tmp_path):
    plugin = create(venv, tmp_path, "future")
    edit(plugin / "pyproject.toml", '"zr-core>=0.1,<0.2"', '"zr-core>=9"')

    resolved = venv.zr("plugin", "install", str(plugin), cwd=tmp_path)
    forced = venv.zr("plugin", "install", "--no-deps", str(plugin), cwd=tmp_path)

    assert resolved.returncode == 2
    assert "It needs a zr-core other than this one (0.1.0)" in resolved.stderr
    assert resolved.stderr.rstrip().endswith("Nothing was changed")
    assert forced.returncode == 2
    assert ("zr-plugin-future 0.1.0 needs zr-core >=9 (INCOMPATIBLE with this zr 0.1.0). "
            "Rolled back: removed zr-plugin-future") in forced.stderr
    assert "future" not in venv.plugin_names(tmp_path)


def test_a_distribution_without_a_zr_entry_point_is_not_kept(venv, tmp_path):
    plugin = create(venv, tmp_path, "plain")
    edit(plugin / "pyproject.toml", '[project.entry-points.zr]\nplain = '
         '"zr_plugin_plain.plugin"\n', "")

    result = venv.zr("plugin", "install", str(plugin), cwd=tmp_path)

    assert result.returncode == 2
    assert ("zr-plugin-plain registers no zr plugin (its metadata has no entry point in the "
            "group 'zr')") in result.stderr
    assert "Rolled back: removed zr-plugin-plain" in result.stderr
    assert venv.uv_pip("show", "zr-plugin-plain", cwd=tmp_path).returncode != 0


def test_a_plugin_claiming_what_another_plugin_claims_is_rolled_back(venv, tmp_path):
    plugin = create(venv, tmp_path, "clash")
    with open(plugin / "src/zr_plugin_clash/plugin.py", "a") as fh:
        fh.write("\n\n@hookimpl\ndef zr_config_sections(registry):\n"
                 "    registry.section('plugins', dict)\n")

    result = venv.zr("plugin", "install", str(plugin), cwd=tmp_path)

    assert result.returncode == 2
    assert ("plugin 'clash' claims the section [plugins], which plugin 'manager' already "
            "claims. Rolled back: removed zr-plugin-clash") in result.stderr
    assert "clash" not in venv.plugin_names(tmp_path)


def test_required_plugins_are_installed_from_the_projects_index(venv, tmp_path):
    source = create(venv, tmp_path, "needed")
    project = tmp_path / "project"
    project.mkdir()
    (project / "index.json").write_text(json.dumps({"format": 1, "plugins": [{
        "name": "zr-plugin-needed", "summary": "needed by the project", "version": "0.1.0",
        "install": str(source), "requires_zr": ">=0.1,<0.2"}]}))
    (project / "zr.toml").write_text(
        '[plugins]\nrequired = ["needed>=0.1"]\nindex = "index.json"\n\n'
        '[tasks.greet]\ncmd = "echo $NEEDED_GREETING"\n')

    before = venv.zr("greet", cwd=project)
    installed = venv.zr("plugin", "install", "--required", cwd=project)
    after = venv.zr("greet", cwd=project)
    removed = venv.zr("plugin", "remove", "needed", cwd=project)

    assert before.returncode == 2
    assert "zr-plugin-needed>=0.1 (not installed)" in before.stderr
    assert installed.returncode == 0, installed.stderr
    assert "zr: zr.toml requires zr-plugin-needed>=0.1 (not installed)" in installed.stderr
    assert installed.stdout == f"installed zr-plugin-needed 0.1.0 from path {source}; " \
                               "plugin 'needed' adds `zr needed`\n"
    assert after.returncode == 0, after.stderr
    assert "greet | hello from zr-plugin-needed" in after.stdout
    assert removed.returncode == 0
    assert "note: zr.toml still lists zr-plugin-needed in [plugins] required" in removed.stderr


def test_pip_installs_when_uv_is_not_wanted(venv, tmp_path):
    plugin = create(venv, tmp_path, "piped")
    env = {"ZR_PLUGIN_INSTALLER": "pip"}

    installed = venv.zr("plugin", "install", str(plugin), cwd=tmp_path, env=env)
    removed = venv.zr("plugin", "remove", "piped", cwd=tmp_path, env=env)

    assert installed.returncode == 0, installed.stderr
    assert f"installing {plugin} in {venv.python} with pip" in installed.stderr
    assert installed.stdout.startswith("installed zr-plugin-piped 0.1.0 from path ")
    assert removed.returncode == 0, removed.stderr
    assert "piped" not in venv.plugin_names(tmp_path)


@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_update_from_a_local_path_says_old_and_new_then_already_newest(venv, tmp_path,
                                                                       installer):
    """pip used to force-reinstall zr-core with the plugin and fail to find it
    (zr-core came from a directory), then blamed a zr-core range the plugin
    accepts."""
    env = {"ZR_PLUGIN_INSTALLER": installer}
    source = create(venv, tmp_path, f"local{installer}")
    assert venv.zr("plugin", "install", str(source), cwd=tmp_path, env=env).returncode == 0
    edit(source / "pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"')

    updated = venv.zr("plugin", "update", f"local{installer}", cwd=tmp_path, env=env)
    again = venv.zr("plugin", "update", f"local{installer}", cwd=tmp_path, env=env)
    venv.zr("plugin", "remove", f"local{installer}", cwd=tmp_path, env=env)

    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.startswith(f"updated zr-plugin-local{installer} 0.1.0 -> 0.2.0 "
                                     f"from path {source}")
    assert "needs a zr-core" not in updated.stderr
    assert again.returncode == 0, again.stderr
    assert again.stdout == (f"zr-plugin-local{installer} 0.2.0: already newest (from path "
                            f"{source})\n")


def test_update_takes_a_newer_entry_from_the_plugin_index(venv, tmp_path):
    (tmp_path / "v1").mkdir()
    first = create(venv, tmp_path / "v1", "indexed")
    second = tmp_path / "v2" / "zr-plugin-indexed"
    shutil.copytree(first, second)
    edit(second / "pyproject.toml", 'version = "0.1.0"', 'version = "0.2.0"')
    index = tmp_path / "index.json"

    def publish(version: str, source: Path) -> None:
        index.write_text(json.dumps({"format": 1, "plugins": [{
            "name": "zr-plugin-indexed", "version": version, "install": str(source),
            "summary": "listed", "requires_zr": ">=0.1,<0.2"}]}))

    publish("0.1.0", first)
    env = {"ZR_PLUGIN_INDEX": str(index)}
    installed = venv.zr("plugin", "install", "indexed", cwd=tmp_path, env=env)
    publish("0.2.0", second)
    search = venv.zr("plugin", "search", "indexed", cwd=tmp_path, env=env)
    updated = venv.zr("plugin", "update", "indexed", cwd=tmp_path, env=env)
    search_after = venv.zr("plugin", "search", "indexed", cwd=tmp_path, env=env)
    venv.zr("plugin", "remove", "indexed", cwd=tmp_path)

    assert installed.returncode == 0, installed.stderr
    assert "    upgrade: zr plugin update indexed  (0.1.0 -> 0.2.0)" in search.stdout
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.startswith(f"updated zr-plugin-indexed 0.1.0 -> 0.2.0 from path "
                                     f"{second}")
    assert "    installed; update with: zr plugin update indexed" in search_after.stdout


def test_update_of_everything_includes_the_manager_itself(venv, tmp_path):
    updated = venv.zr("plugin", "update", cwd=tmp_path)
    info = venv.zr("plugin", "info", "manager", cwd=tmp_path)

    assert updated.returncode == 0, updated.stderr
    assert "zr-plugin-manager 0.1.0: already newest (from path " in updated.stdout
    assert "  update:      zr plugin update manager" in info.stdout


@pytest.fixture
def static_site(tmp_path):
    """A real HTTP server on 127.0.0.1 serving a directory (a self-hosted
    plugin index with its wheels)."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    root = tmp_path / "site"
    root.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_index_add_then_search_and_install_by_name_over_http(venv, tmp_path, static_site):
    site, url = static_site
    source = create(venv, tmp_path, "published")
    built = venv.run([venv.uv, "build", "--wheel", "-q", "-o", str(site / "wheels"),
                      str(source)], tmp_path)
    assert built.returncode == 0, built.stderr
    wheel = next((site / "wheels").glob("*.whl"))

    added = venv.zr("plugin", "index", "add", str(wheel), "--index", str(site / "index.json"),
                    cwd=tmp_path)
    entry = json.loads((site / "index.json").read_text())["plugins"][0]
    search = venv.zr("plugin", "search", "published", "--index", f"{url}/index.json",
                     cwd=tmp_path)
    installed = venv.zr("plugin", "install", "published", "--index", f"{url}/index.json",
                        cwd=tmp_path)
    greeting = venv.zr("published", "--name", "Ada", cwd=tmp_path)
    venv.zr("plugin", "remove", "published", cwd=tmp_path)

    assert added.returncode == 0, added.stderr
    assert entry == {"name": "zr-plugin-published", "version": "0.1.0",
                     "summary": "zr plugin: published", "install": f"./wheels/{wheel.name}",
                     "hooks": ["zr_cli_commands", "zr_task_env"], "requires_zr": ">=0.1,<0.2"}
    assert search.returncode == 0, search.stderr
    assert search.stdout.splitlines() == [
        "zr-plugin-published 0.1.0", "    zr plugin: published",
        "    hooks: zr_cli_commands, zr_task_env", "    install: zr plugin install published"]
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.startswith(f"installed zr-plugin-published 0.1.0 from "
                                       f"{url}/wheels/{wheel.name}")
    assert (greeting.returncode, greeting.stdout) == (0, "hello, Ada, from zr-plugin-published\n")


def test_index_add_refuses_what_is_not_a_zr_plugin_wheel(venv, tmp_path):
    (tmp_path / "not.whl").write_bytes(b"not a zip")
    result = venv.zr("plugin", "index", "add", "not.whl", "--index", "index.json", cwd=tmp_path)

    assert result.returncode == 2
    assert "not.whl is not a wheel" in result.stderr
    assert not (tmp_path / "index.json").exists()


def test_a_created_plugin_has_ci_and_publish_workflows(venv, tmp_path):
    source = create(venv, tmp_path, "workflowed")
    tests = (source / ".github/workflows/tests.yml").read_text()
    publish = (source / ".github/workflows/publish.yml").read_text()

    assert 'python: ["3.10", "3.11", "3.12", "3.13"]' in tests
    assert "pypa/gh-action-pypi-publish" in publish
    assert 'keywords = ["zr", "zr-plugin"]' in (source / "pyproject.toml").read_text()


def test_removing_a_plugin_others_depend_on_warns_and_names_them(venv, tmp_path):
    base = create(venv, tmp_path, "base")
    addon = create(venv, tmp_path, "addon")
    edit(addon / "pyproject.toml", '"zr-core>=', '"zr-plugin-base",\n    "zr-core>=')
    module = addon / "src" / "zr_plugin_addon" / "plugin.py"
    module.write_text("import zr_plugin_base  # noqa: F401  (what it builds on)\n"
                      + module.read_text())
    assert venv.zr("plugin", "install", str(base), cwd=tmp_path).returncode == 0
    assert venv.zr("plugin", "install", str(addon), cwd=tmp_path).returncode == 0

    removed = venv.zr("plugin", "remove", "base", cwd=tmp_path)
    listing = venv.zr("plugins", cwd=tmp_path)
    venv.zr("plugin", "remove", "addon", cwd=tmp_path)

    assert removed.returncode == 0, removed.stderr
    warning, removing = removed.stderr.splitlines()[:2]
    assert warning == ("zr: warning: zr-plugin-addon depends on zr-plugin-base: without it it "
                       "will fail to load until zr-plugin-base is installed again (`zr plugin "
                       "install zr-plugin-base`), or remove it too")
    assert removing.startswith("zr: removing zr-plugin-base from ")
    assert listing.returncode == 0
    # Afterwards the addon's load failure says to reinstall its base.
    assert ("zr: warning: plugin 'addon' (zr-plugin-addon 0.1.0) failed to load and is "
            "disabled: ModuleNotFoundError: No module named 'zr_plugin_base'. zr works without "
            "it; it needs zr-plugin-base, which is not installed: install it again (`zr plugin "
            "install zr-plugin-base`), or remove zr-plugin-addon (`pip uninstall "
            "zr-plugin-addon`), or set ZR_STRICT_PLUGINS=1 to make this an error"
            ) in listing.stderr.splitlines()
