"""A Dask preload that makes a stock ``dask worker`` a zr worker:

    dask worker tcp://SCHEDULER:8786 --preload zr_plugin_dask.preload \\
        [--zr-project DIR]

For clusters whose workers are started by Dask's own tooling (dask-
kubernetes, dask-cloudprovider, a Helm chart) rather than by ``zr
worker``. ``dask_setup`` runs in each worker process before the worker
registers with the scheduler. It opens the checkout at ``--zr-project``
(default: the worker's working directory) exactly as ``zr worker`` does,
by running that command in this process with ``--in-this-process``: the
project is loaded with the installed plugins, the commit recorded and the
remote cache opened, and tasks of a run at another commit are refused.
A checkout that cannot be served (no zr.toml, not a git checkout, no
remote cache) ends the worker process before it joins, with zr's message
in its log, rather than leaving a worker that fails every task (Dask logs
an exception a preload raises and starts the worker anyway, so the
process exits with zr's exit code instead).

zr's command line is the public way to load a project with the installed
plugins, which is why the preload runs it rather than loading zr.toml
itself. Plugins in a project's ``.zr/plugins`` are found from the
worker's working directory, as for any zr command: start the worker in
the checkout when the project has its own plugins.
"""

from __future__ import annotations

import os
import sys

import click


@click.command()
@click.option("--zr-project", "project", type=click.Path(file_okay=False),
              help="The checkout of the project this worker runs tasks in "
                   "[default: the worker's working directory].")
def dask_setup(worker, project):
    """Serve the checkout at ``--zr-project`` to the tasks of ``worker``."""
    from .checkout import current

    root = os.path.abspath(project or os.getcwd())
    code = _zr_worker(root, str(worker.name))
    if code != 0:
        click.echo(f"zr: the Dask worker {worker.name} serves no checkout of {root} and "
                   f"stops (the error is above)", err=True)
        sys.stderr.flush()
        os._exit(code)
    click.echo(current().describe(worker.address, worker.scheduler.address), err=True)


def _zr_worker(root: str, name: str) -> int:
    """``zr --config ROOT/zr.toml worker --in-this-process --name NAME`` in
    this process; its exit code (zr printed any error to stderr)."""
    from importlib.metadata import entry_points

    from zr.api import ZrError, find_config

    try:
        config = find_config(start=root)
    except ZrError as error:
        click.echo(f"zr: error: {error}", err=True)
        return error.exit_code
    (script,) = entry_points(group="console_scripts", name="zr")
    return script.load()(["--config", config, "worker", "--in-this-process", "--name", name])
