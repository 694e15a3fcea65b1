"""``zr worker SCHEDULER``: serve this checkout to a Dask cluster.

Run it in a checkout of the project (at the commit the runs will use):
it loads zr.toml, opens the project's remote cache, records the
checkout's root and commit, and runs a Dask worker in this process until
it is stopped (Ctrl-C or SIGTERM). Tasks sent by ``zr run --executor
dask://...`` then run here, and a run at another commit is refused.
"""

from __future__ import annotations

import click


def _resources(text: str) -> dict:
    """``gpu=1,mem=4e9`` -> {"gpu": 1.0, "mem": 4e9} (Dask's spelling)."""
    found = {}
    for part in filter(None, (item.strip() for item in text.split(","))):
        name, equals, amount = part.partition("=")
        try:
            found[name.strip()] = float(amount)
        except ValueError:
            raise click.BadParameter(f"expected NAME=AMOUNT[,NAME=AMOUNT], got {part!r}",
                                     param_hint="--resources") from None
        if not equals or not name.strip():
            raise click.BadParameter(f"expected NAME=AMOUNT, got {part!r}",
                                     param_hint="--resources")
    return found


@click.command("worker")
@click.argument("scheduler")
@click.option("--name", help="The worker's name in messages and $ZR_WORKER "
                             "[default: HOST-PID].")
@click.option("--nthreads", type=click.IntRange(min=1), default=1, show_default=True,
              help="Tasks this worker runs at once.")
@click.option("--resources", default="", help="Dask worker resources that tasks' `resources` "
                                              "field asks for, e.g. gpu=1,docker=1.")
@click.pass_context
def worker_command(ctx, scheduler, name, nthreads, resources):
    """Run a Dask worker that runs zr tasks in this checkout.

    SCHEDULER is the scheduler's address (tcp://HOST:PORT or dask://HOST:PORT).
    """
    import os
    import socket

    from zr.api import ConfigError, UsageError, load_project

    from .checkout import Checkout, git_commit, serve
    from .settings import _parse

    try:
        address = _parse(scheduler)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if address is None:
        raise UsageError("zr worker needs a Dask scheduler address (tcp://HOST:PORT)")
    config = load_project({}, ctx.find_root().obj["plugins"])
    root = str(config.root)
    try:
        commit = git_commit(root)
    except ValueError as error:
        raise UsageError(str(error)) from None
    from zr_plugin_cache.transfer import remote_backend

    backend = remote_backend(config, lambda message: click.echo(f"zr: warning: {message}",
                                                                err=True))
    if backend is None:
        raise ConfigError("zr worker needs a remote cache: outputs travel between the "
                          "workers and the machine running zr through it; add "
                          '[cache] remote = { type = "http", url = "..." } to zr.toml',
                          file=config.display_path)
    name = name or f"{socket.gethostname()}-{os.getpid()}"
    serve(Checkout(root, commit, name, backend))
    _run_worker(address, name, nthreads, _resources(resources), root, commit)


def _run_worker(address: str, name: str, nthreads: int, resources: dict, root: str,
                commit: str) -> None:
    import asyncio

    from distributed import Worker

    async def work():
        async with Worker(address, name=name, nthreads=nthreads, resources=resources or None,
                          dashboard=False) as worker:
            click.echo(f"zr worker {name}: {worker.address} serving {root} at commit "
                       f"{commit[:12]}, scheduler {address}", err=True)
            await worker.finished()

    try:
        asyncio.run(work())
    except KeyboardInterrupt:
        pass
