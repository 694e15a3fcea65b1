"""What the cache plugins cost a run that does not use them: `zr run` of a
plain task imports nothing of theirs but the cache plugin's hook module,
and a project without a remote of a store's type never loads that store.

Measured by the modules loaded when zr exits (``-X importtime`` does not
list the plugin modules zr loads with importlib), compared with the same
run with the four plugins disabled, so what the kernel and other plugins
import does not count.
"""


CACHE_PLUGINS = "cache,cache-s3,cache-gcs,cache-azure"
HEAVY = ("typing", "re", "json", "requests", "urllib3", "boto3", "botocore", "google", "azure",
         "tarfile", "tempfile", "threading", "hashlib")


PLAIN_PROJECT = """
    [tasks.hello]
    cmd = "echo hello"
"""


def baseline(project) -> set:
    """What `zr run hello` of a plain project loads without the cache plugins."""
    project.write(PLAIN_PROJECT)
    return project.loaded_modules("run", "hello", env={"ZR_DISABLE_PLUGINS": CACHE_PLUGINS})


def test_a_plain_run_loads_only_the_cache_plugins_hook_module(zr_project):
    without = baseline(zr_project)
    added = zr_project.loaded_modules("run", "hello") - without
    assert added == {"zr_plugin_cache", "zr_plugin_cache.plugin"}


def test_a_local_cache_loads_no_remote_and_no_store_plugin(zr_project):
    zr_project.write("""
        [tasks.build]
        cmd = "echo built > out.txt"
        cache = true
        outputs = ["out.txt"]
    """)
    loaded = zr_project.loaded_modules("run", "build")
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
    added = zr_project.loaded_modules("run", "hello") - without
    assert "zr_plugin_cache.remote_validation" in added  # [cache.remote] was checked
    backends = {name for name in added if name.endswith("backend")}
    assert backends == set(), backends
    assert not {name.split(".")[0] for name in added}.intersection(HEAVY), sorted(added)
