"""What the cache plugins cost a run that does not use them: `zr run` of a
plain task imports nothing of theirs but the cache plugin's hook module,
and a project without a remote of a store's type never loads that store.

Measured by the modules loaded when zr exits (``-X importtime`` does not
list the plugin modules zr loads with importlib), compared with the same
run with the four plugins disabled, so what the kernel and other plugins
import does not count.
"""

import subprocess
import sys

CACHE_PLUGINS = "cache,cache-s3,cache-gcs,cache-azure"
# Runs zr's main module, then writes every loaded module's name to argv[1].
LOADED_MODULES = (
    "import runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "sys.argv[0] = 'zr'\n"
    "try:\n"
    "    runpy.run_module('zr', run_name='__main__')\n"
    "finally:\n"
    "    open(out, 'w').write('\\n'.join(sorted(sys.modules)))\n")
HEAVY = ("typing", "re", "json", "requests", "urllib3", "boto3", "botocore", "google", "azure",
         "tarfile", "tempfile", "threading", "hashlib")


def loaded_modules(project, *args, env=None) -> set:
    """The modules loaded by `zr ARGS` in ``project``, run twice so the
    second run finds the parsed zr.toml and plugin index cached."""
    listing = project.path.parent / "modules.txt"
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", LOADED_MODULES, str(listing), *args],
                              cwd=project.path, env={**project.env, **(env or {})},
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
    return set(listing.read_text().split())


PLAIN_PROJECT = """
    [tasks.hello]
    cmd = "echo hello"
"""


def baseline(project) -> set:
    """What `zr run hello` of a plain project loads without the cache plugins."""
    project.write(PLAIN_PROJECT)
    return loaded_modules(project, "run", "hello", env={"ZR_DISABLE_PLUGINS": CACHE_PLUGINS})


def test_a_plain_run_loads_only_the_cache_plugins_hook_module(zr_project):
    without = baseline(zr_project)
    added = loaded_modules(zr_project, "run", "hello") - without
    assert added == {"zr_plugin_cache", "zr_plugin_cache.plugin"}


def test_a_local_cache_loads_no_remote_and_no_store_plugin(zr_project):
    zr_project.write("""
        [tasks.build]
        cmd = "echo built > out.txt"
        cache = true
        outputs = ["out.txt"]
    """)
    loaded = loaded_modules(zr_project, "run", "build")
    assert "zr_plugin_cache.session" in loaded  # the cache was used
    ours = {name for name in loaded if name.startswith("zr_plugin_cache")}
    assert not {name for name in ours if "remote" in name or "backend" in name
                or name.startswith(("zr_plugin_cache_", "zr_plugin_cache.object_store"))}, ours
    assert not {name.split(".")[0] for name in loaded}.intersection(
        ("requests", "boto3", "google", "azure"))


def test_an_http_remote_is_checked_without_loading_any_backend(zr_project,
                                                               webdav_cache_server):
    without = baseline(zr_project)
    zr_project.write(f"""
        [cache]
        remote = {{ type = "http", url = "{webdav_cache_server.url}/imports" }}
    """ + PLAIN_PROJECT)
    added = loaded_modules(zr_project, "run", "hello") - without
    assert "zr_plugin_cache.remote_validation" in added  # [cache.remote] was checked
    backends = {name for name in added if name.endswith("backend")}
    assert backends == set(), backends
    assert not {name.split(".")[0] for name in added}.intersection(HEAVY), sorted(added)
