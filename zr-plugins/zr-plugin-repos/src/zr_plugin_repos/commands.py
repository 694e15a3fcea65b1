"""``zr repo sync|status|graph|run``: the click commands, thin over the modules
that do the work (:mod:`.sync`, :mod:`.status`, :mod:`.graph`, :mod:`.run`)."""

from __future__ import annotations

import functools
import json
import os

import click
from zr_plugin_workspace.base import NO_REF  # --affected without a REF (a light module)

from .secrets import mask

_CPUS = os.cpu_count() or 1
# Sync and status wait on the network and on git, not on the CPU.
_IO_JOBS = max(8, 2 * _CPUS)


def _masking(command):
    """Every error message leaves with the credentials in URLs masked."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from zr.api import ZrError

        try:
            return command(*args, **kwargs)
        except ZrError as exc:
            exc.args = (mask(str(exc)),)
            raise

    return wrapper


def _manifest_option(function):
    return click.option("-m", "--manifest", "manifest_path", default=None, metavar="PATH",
                        help="Use this zr-repos.toml instead of searching upwards.")(function)


def _selection_options(function):
    function = click.option("--tags", "tags", multiple=True, metavar="TAG[,TAG]",
                            help="Only repos with one of these tags (repeatable).")(function)
    return click.option("--repos", "repos", multiple=True, metavar="NAME[,NAME]",
                        help="Only these repos (repeatable or comma-separated).")(function)


def _jobs_option(default: int, what: str):
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=default,
                        show_default=True, metavar="N", help=f"{what} at most N repos at once.")


def _load(manifest_path, repos=(), tags=()):
    from .manifest import load_manifest
    from .select import select

    manifest = load_manifest(manifest_path)
    return manifest, select(manifest, repos, tags)


@click.group("repo", help=(
    "Work with the repositories listed in zr-repos.toml (found from the current "
    "directory upwards): clone and update them, show their state, draw their "
    "dependencies, run a task across them in dependency order."))
def repo():
    pass


@repo.command("sync", help=(
    "Clone missing repos and fast-forward existing ones, in parallel. A repo with "
    "local changes, on another branch, or diverged from its upstream is left alone "
    "and reported. Exits 1 when any repo failed, after the others finished."))
@_manifest_option
@_selection_options
@_jobs_option(_IO_JOBS, "Sync")
@click.option("--shallow", is_flag=True, help="Clone with --depth 1.")
@click.option("--format", "format", type=click.Choice(["text", "json"]), default="text",
              help="Output format.")
@_masking
def sync_command(manifest_path, repos, tags, jobs, shallow, format):
    from .sync import FAILED, LEFT_ALONE, sync_all

    manifest, names = _load(manifest_path, repos, tags)
    width = max(len(name) for name in names)

    def progress(outcome):
        if format == "text":
            click.echo(mask(f"{outcome.name.ljust(width)}  {outcome.state:<10}  "
                            f"{outcome.detail}  ({outcome.seconds:.1f}s)"))

    outcomes = sync_all([manifest.repos[n] for n in names], jobs, shallow, progress)
    failed = sum(o.state == FAILED for o in outcomes)
    if format == "json":
        click.echo(mask(json.dumps({"repos": [o.as_json() for o in outcomes],
                                    "failed": failed}, indent=2)))
    else:
        counts: dict = {}
        for outcome in outcomes:
            counts[outcome.state] = counts.get(outcome.state, 0) + 1
        summary = ", ".join(f"{count} {state}" for state, count in counts.items())
        click.echo(f"synced {len(outcomes)} repo(s): {summary}")
        for outcome in outcomes:
            if outcome.state in (FAILED, LEFT_ALONE):
                click.echo(mask(f"  {outcome.name}: {outcome.state}: {outcome.detail}"),
                           err=outcome.state == FAILED)
    return 1 if failed else 0


@repo.command("status", help=(
    "Branch, commits ahead of and behind its upstream, changed and untracked files, "
    "for every repo (as of the last fetch: run `zr repo sync` to refresh)."))
@_manifest_option
@_selection_options
@_jobs_option(_IO_JOBS, "Read")
@click.option("--format", "format", type=click.Choice(["text", "json"]), default="text",
              help="Output format.")
@_masking
def status_command(manifest_path, repos, tags, jobs, format):
    from .status import status_table_rows, statuses
    from .table import render_table

    manifest, names = _load(manifest_path, repos, tags)
    rows = statuses([manifest.repos[n] for n in names], jobs)
    if format == "json":
        click.echo(mask(json.dumps({"workspace": manifest.name, "repos": rows}, indent=2)))
    else:
        click.echo(mask(render_table(["REPO", "BRANCH", "UPSTREAM", "FILES"],
                                     status_table_rows(rows))))
    return 0


@repo.command("graph", help=(
    "Draw the dependencies between repos: text (layers that can run side by side), "
    "dot (Graphviz) or json. A cycle is an error naming its path."))
@_manifest_option
@click.option("--tags", "tags", multiple=True, metavar="TAG[,TAG]",
              help="Only repos with one of these tags (repeatable).")
@click.option("--format", "format", type=click.Choice(["text", "dot", "json"]),
              default="text", help="Output format.")
@click.option("-o", "--output", "output", default=None, metavar="FILE",
              help="Write to FILE instead of standard output.")
@_masking
def graph_command(manifest_path, tags, format, output):
    from .graph import layers, render_dot, render_text, restricted

    manifest, names = _load(manifest_path, (), tags)
    deps = restricted({n: list(r.deps) for n, r in manifest.repos.items()}, names)
    if format == "dot":
        text = render_dot(deps, manifest.name)
    elif format == "json":
        text = json.dumps({
            "workspace": manifest.name,
            "repos": [{"name": n, "path": manifest.repos[n].path,
                       "url": manifest.repos[n].url, "tags": list(manifest.repos[n].tags),
                       "deps": deps[n]} for n in names],
            "layers": layers(deps)}, indent=2)
    else:
        text = render_text(deps)
    text = mask(text)
    if output:
        from zr.api import atomic_write

        atomic_write(os.path.abspath(output), (text + "\n").encode())
    else:
        click.echo(text)
    return 0


@repo.command("run", help=(
    "Run TASK in every repo that has it, in dependency order across repos and in "
    "parallel where the dependencies allow. Each repo's own zr.toml decides how its "
    "task runs. Ends with one summary table; exits 1 when a repo's task failed."))
@click.argument("task")
@_manifest_option
@_selection_options
@_jobs_option(_CPUS, "Run")
@click.option("--affected", "affected_ref", default=None, metavar="REF", is_flag=False,
              flag_value=NO_REF,
              help="Only repos changed since the merge-base of REF and HEAD (each in its own "
                   "history) and the repos depending on them; REF 'auto' is each repo's "
                   "default branch. Without REF: ZR_AFFECTED_BASE, else in CI (CI=true) each "
                   "repo's default branch, else an error.")
@click.option("-n", "--dry-run", is_flag=True, help="Show what each repo would run.")
@click.option("-k", "--keep-going", is_flag=True,
              help="After a failure, keep running repos that do not depend on it.")
@click.option("--format", "format", type=click.Choice(["text", "json"]), default="text",
              help="Format of the summary.")
@click.pass_context
@_masking
def run_command(ctx, task, manifest_path, repos, tags, jobs, affected_ref, dry_run,
                keep_going, format):
    from .run import NO_TASK, UNAFFECTED, Output, RepoResult, run_task
    from .table import render_table

    manifest, names = _load(manifest_path, repos, tags)
    skip = {}
    if affected_ref:
        from .select import affected

        hit, refs = affected(manifest, names, affected_ref)
        skip = {n: RepoResult(n, UNAFFECTED,
                              f"no change since {refs[n]}" if n in refs else "not cloned")
                for n in names if n not in hit}
    # With --format json, stdout carries only the JSON; the repos' output goes to stderr.
    output = Output(max(len(n) for n in names),
                    functools.partial(click.echo, err=format == "json"))
    results = run_task(manifest, names, task, jobs=jobs, keep_going=keep_going,
                       dry_run=dry_run, task_args=list((ctx.find_root().obj or {}).get("args", ())),
                       output=output, skip=skip)
    if all(r.status == NO_TASK for r in results):
        from zr.api import UsageError

        raise UsageError(f"no repo has a task '{task}' ({len(results)} looked at; "
                         "`zr list` in a checkout shows its tasks)")
    if format == "json":
        click.echo(mask(json.dumps({"task": task, "repos": [r.as_json() for r in results]},
                                   indent=2)))
    else:
        rows = [[r.name, r.status, "" if r.seconds is None else f"{r.seconds:.1f}s", r.detail]
                for r in results]
        click.echo(mask(render_table(["REPO", "STATUS", "TIME", "DETAIL"], rows)))
    return 1 if any(r.bad for r in results) else 0


# `zr workspace sync|path|remove`: added to the workspace plugin's `zr workspace`
# group through its hook (plugin.py); a synthetic workspace is for that plugin.
@click.command("sync", help=(
    "Write or refresh the synthetic workspace of zr-repos.toml's repos: each cloned repo "
    "a member with the name, tags and dependencies zr-repos.toml gives it, kept under "
    "zr's state dir (run it again after `zr repo sync` or a change to a repo's tasks)."))
@_manifest_option
@_masking
def workspace_sync_command(manifest_path):
    from .synthetic import sync_workspace

    manifest, _ = _load(manifest_path)
    directory, members, left_out = sync_workspace(manifest)
    root = os.path.join(directory, "zr.toml")
    click.echo(f"synthetic workspace '{manifest.name}': {len(members)} member(s) "
               f"({', '.join(members) or 'none'})")
    for name, why in left_out.items():
        click.echo(mask(f"  {name}: left out: {why}"))
    click.echo(f"root: {root}\nuse it with `zr -c {root} graph` or "
               f"`zr -c {root} workspace run TASK`")
    return 0


@click.command("path", help="Print the synthetic workspace's zr.toml (for `zr -c`).")
@_manifest_option
@_masking
def workspace_path_command(manifest_path):
    from zr.api import UsageError

    from .synthetic import workspace_dir

    manifest, _ = _load(manifest_path)
    root = os.path.join(workspace_dir(manifest), "zr.toml")
    if not os.path.isfile(root):
        raise UsageError(f"no synthetic workspace for {manifest.display_path} yet; "
                         "run `zr workspace sync`")
    click.echo(root)
    return 0


@click.command("remove", help="Delete the synthetic workspace (the checkouts stay).")
@_manifest_option
@_masking
def workspace_remove_command(manifest_path):
    from .synthetic import remove_workspace

    manifest, _ = _load(manifest_path)
    removed = remove_workspace(manifest)
    click.echo(f"removed {removed}" if removed else
               f"no synthetic workspace for {manifest.display_path}; nothing to remove")
    return 0
