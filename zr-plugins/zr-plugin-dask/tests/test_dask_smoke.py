def test_one_task_on_one_worker(dask_cluster):
    project = dask_cluster.checkout()
    result = project.run("run", "t00")
    assert result.returncode == 0, result.output
    print(result.output)
    assert (project.path / "out" / "t00.txt").read_text().strip() in ("w1", "w2")
