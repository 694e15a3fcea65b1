"""``zr cache``: inspect and manage the task cache.

``zr cache stats`` and ``zr cache clean`` work inside a project (its
``[cache] dir`` and ``max_size``) and outside one (the default store).
``zr cache key TASK --explain`` shows what went into a task's key, to find
out why a task missed. ``zr cache remote check`` proves that
``[cache.remote]`` works before a build depends on it.
"""

from __future__ import annotations

import click


def _project_config(ctx, config_path):
    """The loaded project, or None when there is no zr.toml here or above."""
    from zr.api import merged_options
    from zr.config import find_config
    from zr.errors import ConfigError
    from zr.api import load_project

    try:
        find_config(config_path)
    except ConfigError:
        if config_path:
            raise
        return None
    options = merged_options(ctx, {"config": config_path})
    return load_project(options, ctx.find_root().obj["plugins"])


def _required_project(ctx, config_path):
    from zr.errors import ConfigError

    config = _project_config(ctx, config_path)
    if config is None:
        raise ConfigError("no zr.toml found here or in any parent directory")
    return config


def _store(ctx, config_path):
    from .settings import CacheSettings, default_store_dir
    from .store import LocalStore

    config = _project_config(ctx, config_path)
    if config is None:
        return LocalStore(default_store_dir())
    settings = CacheSettings(config.doc.get("cache"), config.root)
    return LocalStore(settings.directory, settings.max_size)


def _size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{int(value)} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return ""


config_option = click.option("-c", "--config", "config_path", default=None, metavar="PATH",
                             help="Use this zr.toml.")


@click.group("cache", help="Inspect and manage the task cache.")
def cache_group():
    pass


@cache_group.command("stats", help="Where the local cache is, how many entries, how big.")
@config_option
@click.pass_context
def stats_command(ctx, config_path):
    stats = _store(ctx, config_path).stats()
    click.echo(f"location: {stats.directory}")
    click.echo(f"entries:  {stats.entries}")
    limit = f" of {_size(stats.max_size)}" if stats.max_size else ""
    click.echo(f"size:     {_size(stats.size)}{limit}")
    return 0


@cache_group.command("clean", help="Delete local cache entries (all, or those unused for "
                                   "--older-than, e.g. 7d).")
@click.option("--older-than", "older_than", default=None, metavar="AGE",
              help='Only entries not used for this long: "7d", "12h", "30m".')
@config_option
@click.pass_context
def clean_command(ctx, older_than, config_path):
    from zr.errors import UsageError
    from zr.api import parse_duration

    age = None
    if older_than is not None:
        try:
            age = parse_duration(older_than)
        except ValueError as error:
            raise UsageError(f"--older-than: {error}") from None
    removed, freed = _store(ctx, config_path).clean(older_than=age)
    click.echo(f"removed {removed} entr{'y' if removed == 1 else 'ies'}, freed {_size(freed)}")
    return 0


@cache_group.command("key", help="Print TASK's cache key; --explain lists what went into it.")
@click.argument("task_name", metavar="TASK")
@click.option("--explain", is_flag=True, help="Show every part of the key.")
@config_option
@click.pass_context
def key_command(ctx, task_name, explain, config_path):
    from zr.api import RunSession, make_plan, make_printer

    from .key import KeyMaker
    from .settings import CacheSettings

    config = _required_project(ctx, config_path)
    planned = make_plan(config, [task_name], parallel=True)
    name = planned.targets[0]
    # A run that runs nothing: it builds the task's final plan as `zr run` would.
    run = RunSession(config, planned, make_printer(config.options, config)).run
    maker = KeyMaker(run, CacheSettings(config.doc.get("cache"), config.root))
    hasher = maker.explain(name)
    click.echo(hasher.hexdigest())
    if explain:
        width = min(max(len(label) for label, _ in hasher.parts), 40)
        for label, value in hasher.parts:
            click.echo(f"  {label.ljust(width)}  {value}")
    return 0


@cache_group.group("remote", help="The shared cache of [cache.remote].")
def remote_group():
    pass


@remote_group.command("check", short_help="Check that [cache.remote] works.",
                      help="Write, read back and delete a probe entry in [cache.remote], as "
                           "a run would; say what fails (exit 1).")
@config_option
@click.pass_context
def remote_check_command(ctx, config_path):
    from zr.api import make_printer
    from zr.errors import UsageError

    from .backends import make_backend
    from .probe import can_delete, check
    from .settings import CacheSettings

    config = _required_project(ctx, config_path)
    settings = CacheSettings(config.doc.get("cache"), config.root)
    if not settings.remote:
        raise UsageError(f"no [cache.remote] in {config.display_path}: nothing to check")
    printer = make_printer(config.options, config)
    backend = make_backend(config, settings, printer.warn)
    problems = check(backend)
    for problem in problems:
        printer.error(problem)
    if problems:
        return 1
    done = ("wrote, read back and deleted a probe object" if can_delete(backend) else
            f"wrote and read back a probe object (it stays: {settings.remote['type']} "
            f"remotes cannot delete entries)")
    click.echo(f"ok: {backend.describe()}: {done}")
    return 0
