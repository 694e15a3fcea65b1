"""What the dask plugin costs a run that does not use a cluster: `zr list`
and a plain `zr run` import nothing of `distributed` (nor of the plugin's
executor), and with `--shard` only the plugin's small modules."""


def test_list_and_a_plain_run_import_no_distributed(zr_project):
    zr_project.write("""
        [tasks.hello]
        cmd = "echo hello"
    """)
    for args in (("list",), ("run", "hello"), ("run", "hello", "--shard", "1/2")):
        loaded = zr_project.loaded_modules(*args)
        heavy = {name for name in loaded if name.split(".")[0] in ("distributed", "dask",
                                                                    "tornado", "msgpack")}
        assert not heavy, (args, sorted(heavy)[:10])
        assert "zr_plugin_dask.executor" not in loaded, args
