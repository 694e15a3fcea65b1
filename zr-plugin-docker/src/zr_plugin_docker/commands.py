"""``zr docker build|push|tag|prune``: the project's image tasks by hand.

``build`` uses the same fingerprint as ``zr run`` (``--force`` rebuilds);
``push`` and ``tag`` work on the image a task last built; ``prune`` removes
only images and containers labelled with this project's directory, never
anything else on the daemon, and asks first (``--yes`` where there is no
terminal, ``--dry-run`` to list).
"""

from __future__ import annotations

import os
import subprocess
import sys

import click

from zr.api import UsageError

from .cli import DockerError

config_option = click.option("-c", "--config", "config_path", default=None, metavar="PATH",
                             help="Use this zr.toml.")


def _project(ctx, config_path):
    from zr.api import load_project, merged_options

    options = merged_options(ctx, {"config": config_path})
    return load_project(options, ctx.find_root().obj["plugins"])


def _image_tasks(config, names) -> list:
    tasks = [task for task in config.tasks.values() if task.field("docker") is not None]
    if not names:
        if not tasks:
            raise UsageError("this project has no image tasks (tasks with docker = { build = "
                             "{ ... } })")
        return tasks
    by_name = {task.name: task for task in tasks}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise UsageError(f"not an image task: {', '.join(unknown)}; image tasks: "
                         f"{', '.join(sorted(by_name)) or 'none'}")
    return [by_name[name] for name in names]


def _in_dependency_order(chosen: list, tasks: dict) -> list:
    """``chosen`` image tasks, each after the image tasks it depends on that
    are also chosen (a base image before the images built from it)."""
    from .digests import image_dependencies

    memo: dict = {}
    names = {task.name for task in chosen}
    ordered: dict = {}

    def visit(task):
        for name in image_dependencies(task, tasks, memo):
            if name in names:
                visit(tasks[name])
        ordered.setdefault(task.name, task)

    for task in chosen:
        visit(task)
    return list(ordered.values())


def _require_daemon() -> None:
    from .endpoint import check

    problem = check()
    if problem:
        raise DockerError(problem)


def _recorded(records, task_name: str) -> dict:
    record = records.get(task_name)
    if record is None:
        raise DockerError(f"image task {task_name} has not been built yet; run "
                          f"`zr docker build {task_name}` first")
    return record


@click.group("docker", help="Build, push, tag and prune the project's Docker images.")
def docker_group():
    pass


@docker_group.command("build", short_help="Build image tasks.",
                      help="Build image tasks (all of them without TASK); unchanged ones are "
                           "not rebuilt unless --force.")
@click.argument("names", nargs=-1, metavar="[TASK]...")
@click.option("--force", is_flag=True, help="Build even when nothing changed.")
@config_option
@click.pass_context
def build_command(ctx, names, force, config_path):
    from . import images
    from .cli import docker_cli
    from .records import ImageRecords, work_dir

    from .digests import image_dependencies

    config = _project(ctx, config_path)
    tasks = _in_dependency_order(_image_tasks(config, names), config.tasks)
    cli = docker_cli(config)
    records, work = ImageRecords(config.root), work_dir(config.root)
    daemon_checked = False
    memo: dict = {}
    for task in tasks:
        upstream = {name: records.digest(name)
                    for name in image_dependencies(task, config.tasks, memo)
                    if records.digest(name)}
        prepared = images.prepare(task, task.cwd, records, os.environ, records.digest, upstream,
                                  force=force)
        if prepared.record is not None:
            click.echo(f"{task.name}: unchanged, {prepared.record['image_id']}")
            continue
        if not daemon_checked:
            _require_daemon()
            daemon_checked = True
        argvs, extra_env = images.commands(prepared, cli, config.root, work)
        env = {**os.environ, **extra_env}
        for argv in argvs:
            code = subprocess.run(argv, env=env, cwd=task.cwd, stdin=subprocess.DEVNULL).returncode
            if code != 0:
                click.echo(f"zr: {task.name}: {' '.join(argv[1:3])} failed (exit {code})",
                           err=True)
                return 1
        entry = images.record(prepared, cli, records, work, env)
        click.echo(f"{task.name}: built {entry['image_id']}")
    return 0


@docker_group.command("push", short_help="Push image tasks' images.",
                      help="Push the tags of image tasks' last builds (all of them without "
                           "TASK) and print the registry digests.")
@click.argument("names", nargs=-1, metavar="[TASK]...")
@config_option
@click.pass_context
def push_command(ctx, names, config_path):
    from .build import repo_digests
    from .cli import docker_cli
    from .records import ImageRecords

    config = _project(ctx, config_path)
    tasks = _image_tasks(config, names)
    cli, records = docker_cli(config), ImageRecords(config.root)
    _require_daemon()
    for task in tasks:
        record = _recorded(records, task.name)
        if not record["tags"]:
            raise UsageError(f"image task {task.name} has no tags to push (build.tags)")
        for tag in record["tags"]:
            code = subprocess.run([cli, "push", tag], stdin=subprocess.DEVNULL).returncode
            if code != 0:
                return 1
        records.save(task.name, {**record, "repo_digests": repo_digests(cli, record["image_id"])})
        for digest in records.get(task.name)["repo_digests"]:
            click.echo(f"{task.name}: pushed {digest}")
    return 0


@docker_group.command("tag", short_help="Give an image task's image more names.",
                      help="Give TASK's last built image more names (pushed by `zr docker push` "
                           "too, until the next build).")
@click.argument("name", metavar="TASK")
@click.argument("tags", nargs=-1, required=True, metavar="TAG...")
@config_option
@click.pass_context
def tag_command(ctx, name, tags, config_path):
    from .cli import capture, docker_cli
    from .records import ImageRecords

    config = _project(ctx, config_path)
    task = _image_tasks(config, [name])[0]
    records = ImageRecords(config.root)
    record = _recorded(records, task.name)
    cli = docker_cli(config)
    _require_daemon()
    for tag in tags:
        capture([cli, "tag", record["image_id"], tag], what=f"docker tag {tag}")
        click.echo(f"{task.name}: tagged {record['image_id']} as {tag}")
    # `zr docker push` pushes these names too, until the next build.
    records.save(task.name, {**record, "tags": list(dict.fromkeys(record["tags"] + list(tags)))})
    return 0


@docker_group.command("prune", short_help="Remove this project's images and containers.",
                      help="Remove the images (and leftover containers) this project made, found "
                           "by their dev.zr.project label; nothing else is touched. Asks first "
                           "on a terminal; elsewhere needs --yes.")
@click.option("--dry-run", is_flag=True, help="List what would be removed, remove nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask (needed without a terminal).")
@config_option
@click.pass_context
def prune_command(ctx, dry_run, yes, config_path):
    from .prune import find_project_objects, remove
    from .cli import docker_cli
    from .records import ImageRecords

    config = _project(ctx, config_path)
    cli = docker_cli(config)
    _require_daemon()
    found = find_project_objects(cli, config.root)
    if not found.images and not found.containers:
        click.echo("nothing to prune: no image or container of this project")
        return 0
    for line in found.describe():
        click.echo(line)
    if dry_run:
        return 0
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"zr docker prune would remove {found.count()}; it asks first, and "
                             "there is no terminal to ask on: pass --yes (or --dry-run to list)")
        if not click.confirm(f"Remove {found.count()}?", default=False):
            click.echo("nothing removed")
            return 1
    remove(cli, found)
    records = ImageRecords(config.root)
    records.forget([name for name, record in records.images.items()
                    if record["image_id"] in found.image_ids()])
    click.echo(f"removed {found.count()}")
    return 0
