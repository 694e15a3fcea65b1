"""What a run on a cluster needs before anything is sent: a scheduler
address zr understands, a remote cache to carry outputs, a git commit the
workers can check out."""

from __future__ import annotations

from zr.api import ConfigError


def check_executor(config) -> None:
    """Raise :class:`ConfigError` (exit 2) for a run that cannot go to a
    cluster, saying why."""
    from .checkout import git_commit
    from .settings import scheduler_address

    try:
        address = scheduler_address(config.options, config.doc)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    if address is None:
        return
    if not (config.doc.get("cache") or {}).get("remote"):
        raise ConfigError(
            f"the Dask executor ({address}) needs a remote cache: task outputs travel "
            f"between this machine and the workers through it, and there is none; add "
            f'[cache] remote = {{ type = "http", url = "..." }} (or s3, gcs, azure) to '
            f"zr.toml, or run with --executor local", file=config.display_path)
    try:
        git_commit(str(config.root))
    except ValueError as error:
        raise ConfigError(str(error)) from None


def make_session(run):
    """The run's :class:`~.executor.DaskSession`, or None (``local``)."""
    from .checkout import git_commit
    from .executor import DaskSession
    from .settings import scheduler_address

    address = scheduler_address(run.options, run.config.doc)
    if address is None:
        return None
    return DaskSession(run, address, git_commit(str(run.config.root)))


def cluster_threads(config):
    """The cluster's total worker threads (the default for ``-j``), or None
    when there is no cluster, no worker yet or no answer (the run then says
    why when it sends its first task)."""
    from .executor import CONNECT_TIMEOUT, reachable
    from .settings import scheduler_address

    try:
        address = scheduler_address(config.options, config.doc)
        if address is None:
            return None
        reachable(address)
        from distributed import Client

        with Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False) as client:
            workers = client.scheduler_info().get("workers", {})
    except Exception:
        return None
    return sum(int(worker.get("nthreads", 0)) for worker in workers.values()) or None
