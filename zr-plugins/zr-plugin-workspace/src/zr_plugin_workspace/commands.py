"""``zr workspace list|run``, ``zr affected`` and ``zr lint``.

Each takes the task options (``--filter``, ``--affected``, ``--format``,
``-c``...) like ``zr run``, through the kernel's ``TaskCommand``.
"""

from __future__ import annotations

import json
import sys

import click
from zr.api import TaskCommand, merged_options
from zr.errors import UsageError


def _load(ctx, given: dict, **extra):
    from zr.api import load_project

    from .workspace import get_workspace

    options = merged_options(ctx, given)
    options.update(extra)
    config = load_project(options, ctx.find_root().obj["plugins"])
    workspace = get_workspace(config)
    if workspace is None:
        raise UsageError(f"{config.display_path} has no [workspace]; add one with "
                         "members = [\"packages/*\"] (see docs/workspace.md)")
    return config, workspace


class PluggableGroup(click.Group):
    """A group other plugins add subcommands to, through the plugin-owned
    hook ``zr_workspace_commands(group)``, asked once, when first needed."""

    _asked = False

    def _ask_plugins(self, ctx) -> None:
        if self._asked:
            return
        self._asked = True
        own = set(self.commands)
        host = ctx.find_root().obj["plugins"]
        host.call("zr_workspace_commands", group=self)
        for name in own:  # a plugin cannot replace list or run
            self.commands[name] = _OWN_COMMANDS.get(name, self.commands[name])

    def get_command(self, ctx, name):
        self._ask_plugins(ctx)
        return super().get_command(ctx, name)

    def list_commands(self, ctx):
        self._ask_plugins(ctx)
        return super().list_commands(ctx)


@click.group("workspace", cls=PluggableGroup, help="The members of this workspace: list "
             "them, run a task in each (plugins add more: `zr workspace sync` of the "
             "multi-repo plugin).")
def workspace():
    pass


@workspace.command("list", cls=TaskCommand, help="The members (--filter and --affected "
                   "select), with path, tags and dependencies; --format json for tools.")
@click.pass_context
def list_members(ctx, **given):
    from .selection import selected_members

    config, ws = _load(ctx, given)
    chosen = selected_members(config, ws)
    affected = None
    if config.options.get("affected"):
        from .affected import affected_for_options

        affected = affected_for_options(config, ws)
    rows = []
    for name in ws.order:
        if name not in chosen:
            continue
        reason = affected.member_reason(name) if affected else None
        if affected and reason is None:
            continue
        row = ws.members[name].to_json()
        if affected:
            row["affected_because"] = reason.render()
        rows.append(row)
    rows.sort(key=lambda row: row["path"])
    if config.options.get("format") == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if not rows:
        click.echo("no members selected")
        return 0
    width = min(max(len(r["name"]) for r in rows), 32)
    path_width = min(max(len(r["path"]) for r in rows), 40)
    for row in rows:
        parts = [row["name"].ljust(width), row["path"].ljust(path_width)]
        if row["tags"]:
            parts.append(f"[{', '.join(row['tags'])}]")
        if row["dependencies"]:
            parts.append(f"-> {', '.join(row['dependencies'])}")
        click.echo("  ".join(parts).rstrip())
    return 0


@workspace.command("run", cls=TaskCommand, help="Run TASKS in every member that has them "
                   "(--filter, --affected select), even where the root defines a task of "
                   "the same name.")
@click.argument("tasks", nargs=-1, required=True)
@click.pass_context
def run_in_members(ctx, tasks, **given):
    from zr.api import make_printer
    from zr.api import run_tasks

    from .expand import FORCED_PREFIX

    config, ws = _load(ctx, given, workspace_fanout=list(tasks))
    targets = []
    for name in tasks:
        if not any(name in m.tasks for m in ws.members.values()) and \
                FORCED_PREFIX + name not in config.tasks and name not in config.tasks:
            raise UsageError(f"no workspace member has a task '{name}'; `zr list` shows "
                             "the tasks")
        targets.append(FORCED_PREFIX + name if FORCED_PREFIX + name in config.tasks
                       else name)
    config.options["targets"] = targets
    return run_tasks(config, targets, make_printer(config.options, config))


@click.command("affected", cls=TaskCommand, help="The members (or, with TASK, the member "
               "tasks) changed since the merge-base of --affected REF (default: "
               "ZR_AFFECTED_BASE, else auto, the default branch) and HEAD, and their "
               "dependents; --explain says which file made each one affected.")
@click.argument("task", required=False)
@click.option("--explain", is_flag=True, help="Say why each one is affected, and why "
              "others are not.")
@click.pass_context
def affected(ctx, task, explain, **given):
    from .affected import affected_for_options

    config, ws = _load(ctx, given)
    if not config.options.get("affected"):
        config.options["affected"] = "auto"
    result = affected_for_options(config, ws)
    if task and not any(f"{m}:{task}" in config.tasks for m in ws.members):
        raise UsageError(f"no workspace member has a task '{task}'")
    rows = []
    for name in ws.order:
        if task and f"{name}:{task}" not in config.tasks:
            continue
        reason = result.task_reason(name, task)
        label = f"{name}:{task}" if task else name
        row = {"name": label, "member": name, "affected": reason is not None,
               "reason": reason.render() if reason else None,
               **({"because": reason.to_json()} if reason else {})}
        if reason is None and task:
            skipped = result.unmatched(name, task)
            if skipped:
                row["not_inputs"] = [c.shown for c in skipped]
        rows.append(row)
    if config.options.get("format") == "json":
        payload = {"ref": result.ref, "base": result.base,
                   "repositories": [c.to_json() for c in result.comparisons],
                   "changed": [c.shown for c in result.changes],
                   "outside": [c.path for c in result.outside],
                   "ignored": [c.path for c in result.ignored],
                   "affected": [r for r in rows if r["affected"]] if not explain else rows}
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return 0
    if explain:
        click.echo(f"changes since {result.since()}: {len(result.changes)} file(s)")
        for change in result.ignored:
            click.echo(f"  ignored: {change.describe()} ([workspace] ignore)")
    for row in rows:
        if row["affected"]:
            click.echo(f"{row['name']}: {row['reason']}" if explain else row["name"])
        elif explain and row.get("not_inputs"):
            click.echo(f"{row['name']}: not affected: {', '.join(row['not_inputs'])} "
                       f"changed, not among {task}'s inputs")
    if not config.options.get("quiet"):
        count = sum(1 for row in rows if row["affected"])
        click.echo(f"zr: {count} of {len(rows)} {'tasks' if task else 'members'} affected "
                   f"since {result.since()}", err=True)
    return 0


@click.command("lint", cls=TaskCommand, help="Check the workspace against its "
               "[[constraints]]: each violation names the dependency path and the rule "
               "(exit 1); --format json for CI annotations.")
@click.pass_context
def lint(ctx, **given):
    from zr.api import read_text

    from .constraints import check, unmatched_selectors

    config, ws = _load(ctx, given)
    rules = config.doc.get("constraints") or []
    shown = config.display_path
    text = read_text(config.path, shown)
    violations = check(ws, rules, shown, text)
    warnings = unmatched_selectors(ws, rules, shown, text)
    if config.options.get("format") == "json":
        sys.stdout.write(json.dumps({"members": len(ws.members), "rules": len(rules),
                                     "violations": [v.to_json() for v in violations],
                                     "warnings": warnings}, indent=2) + "\n")
    else:
        for warning in warnings:
            click.echo(f"zr: warning: {warning}", err=True)
        for violation in violations:
            click.echo(violation.render())
        if not config.options.get("quiet"):
            click.echo(f"{len(violations)} violation(s) of {len(rules)} rule(s) in "
                       f"{len(ws.members)} member(s)", err=True)
    return 1 if violations else 0


_OWN_COMMANDS = dict(workspace.commands)

