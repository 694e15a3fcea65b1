"""``zr worker SCHEDULER``: serve this checkout to a Dask cluster.

Run it in a checkout of the project (at the commit the runs will use):
it loads zr.toml, opens the project's remote cache, records the
checkout's root and commit, and runs a Dask worker in this process until
it is stopped (Ctrl-C or SIGTERM). Tasks sent by ``zr run --executor
dask://...`` then run here, and a run at another commit is refused.

A stock ``dask worker`` becomes the same kind of worker with ``--preload
zr_plugin_dask.preload`` (see :mod:`.preload`), which runs this command
with ``--in-this-process``: the checkout is opened here either way.
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
@click.argument("scheduler", required=False)
@click.option("--name", help="The worker's name in messages and $ZR_WORKER "
                             "[default: HOST-PID].")
@click.option("--nthreads", type=click.IntRange(min=1), default=1, show_default=True,
              help="Tasks this worker runs at once.")
@click.option("--resources", default="", help="Dask worker resources that tasks' `resources` "
                                              "field asks for, e.g. gpu=1,docker=1.")
@click.option("--in-this-process", "in_this_process", is_flag=True, hidden=True,
              help="Open the checkout for the Dask worker that already runs in this process "
                   "and return (what zr_plugin_dask.preload asks for).")
@click.pass_context
def worker_command(ctx, scheduler, name, nthreads, resources, in_this_process):
    """Run a Dask worker that runs zr tasks in this checkout.

    SCHEDULER is the scheduler's address (tcp://HOST:PORT or dask://HOST:PORT).
    A stock `dask worker` serves a checkout the same way with
    `--preload zr_plugin_dask.preload [--zr-project DIR]`.
    """
    import os
    import socket

    from zr.api import UsageError, load_project, merged_options

    from .checkout import open_checkout, serve
    from .settings import _parse

    address = None
    if not in_this_process:
        try:
            address = _parse(scheduler) if scheduler else None
        except ValueError as error:
            raise UsageError(str(error)) from None
        if address is None:
            raise UsageError("zr worker needs a Dask scheduler address (tcp://HOST:PORT)")
    config = load_project(merged_options(ctx, {}), ctx.find_root().obj["plugins"])
    checkout = open_checkout(config, name or f"{socket.gethostname()}-{os.getpid()}",
                             lambda message: click.echo(f"zr: warning: {message}", err=True))
    serve(checkout)
    if not in_this_process:
        _run_worker(address, checkout, nthreads, _resources(resources))


def _run_worker(address: str, checkout, nthreads: int, resources: dict) -> None:
    import asyncio

    from distributed import Worker

    async def work():
        async with Worker(address, name=checkout.name, nthreads=nthreads,
                          resources=resources or None, dashboard=False) as worker:
            click.echo(checkout.describe(worker.address, address), err=True)
            await worker.finished()

    try:
        asyncio.run(work())
    except KeyboardInterrupt:
        pass
