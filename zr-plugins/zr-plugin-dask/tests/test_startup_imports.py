"""What the dask plugin costs a run that does not use a cluster: `zr list`
and a plain `zr run` import nothing of `distributed` (nor of the plugin's
executor), and with `--shard` only the plugin's small modules."""

import subprocess
import sys

# Runs zr's main module, then writes every loaded module's name to argv[1].
LOADED_MODULES = (
    "import runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "sys.argv[0] = 'zr'\n"
    "try:\n"
    "    runpy.run_module('zr', run_name='__main__')\n"
    "finally:\n"
    "    open(out, 'w').write('\\n'.join(sorted(sys.modules)))\n")


def loaded_modules(project, *args) -> set:
    """The modules `zr ARGS` loads, on its second run (zr.toml and the
    plugin index cached)."""
    listing = project.path.parent / "modules.txt"
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", LOADED_MODULES, str(listing), *args],
                              cwd=project.path, env=project.env, capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
    return set(listing.read_text().split())


def test_list_and_a_plain_run_import_no_distributed(zr_project):
    zr_project.write("""
        [tasks.hello]
        cmd = "echo hello"
    """)
    for args in (("list",), ("run", "hello"), ("run", "hello", "--shard", "1/2")):
        loaded = loaded_modules(zr_project, *args)
        heavy = {name for name in loaded if name.split(".")[0] in ("distributed", "dask",
                                                                    "tornado", "msgpack")}
        assert not heavy, (args, sorted(heavy)[:10])
        assert "zr_plugin_dask.executor" not in loaded, args
