"""``zr wasm list``: the project's WASM plugins, the hooks each implements and
what each is granted. Loading a module here also checks it compiles and
links (an unknown import or a bad file shows as its error)."""

from __future__ import annotations

import json

import click


def _project(ctx, config_path):
    from zr.api import merged_options
    from zr.api import load_project

    return load_project(merged_options(ctx, {"config": config_path}),
                        ctx.find_root().obj["plugins"])


def describe(plugin) -> dict:
    """One plugin as ``zr wasm list --json`` shows it."""
    from .errors import WasmPluginError
    from .hooks import EXPR_PREFIX, HOOKS

    row = {"name": plugin.name, "source": plugin.spec.source, "hooks": [],
           "functions": [], "permissions": plugin.spec.permissions(), "error": None}
    try:
        exports = plugin.runtime().exports()
        plugin.runtime().check()
    except WasmPluginError as error:
        row["error"] = error.reason
        return row
    row["hooks"] = [name for name in exports if name in HOOKS]
    row["functions"] = [f"{plugin.name}.{name[len(EXPR_PREFIX):]}" for name in exports
                        if name.startswith(EXPR_PREFIX) and len(name) > len(EXPR_PREFIX)]
    return row


def render(row: dict) -> list:
    from zr.api import format_duration

    lines = [f"{row['name']}  ({row['source']})" +
             (f"  BROKEN: {row['error']}" if row["error"] else "")]
    if row["hooks"]:
        lines.append(f"    hooks: {', '.join(row['hooks'])}")
    if row["functions"]:
        lines.append(f"    functions: {', '.join(row['functions'])}")
    grants = row["permissions"]
    lines.append(f"    paths: {', '.join(grants['paths']) or 'none'}")
    lines.append(f"    env: {', '.join(grants['env']) or 'none'}")
    lines.append(f"    hosts: {', '.join(grants['hosts']) or 'none'}")
    lines.append(f"    limits: memory {grants['memory']:,} bytes, timeout "
                 f"{format_duration(grants['timeout'])}, fuel {grants['fuel']:,}")
    return lines


def plugin_rows(config) -> list:
    """The project's WASM plugins as rows of ``zr plugins``: origin
    ``wasm: FILE``, the lines ``zr wasm list`` shows as details."""
    from .hooks import plugins_for

    rows = []
    for plugin in plugins_for(config):
        row = describe(plugin)
        details = [line.strip() for line in render(row)[1:]
                   if not line.strip().startswith("hooks:")]
        rows.append({**row, "origin": f"wasm: {row['source']}", "details": details})
    return rows


@click.group("wasm", help="The project's WASM plugins ([plugins.wasm.NAME] in zr.toml); "
             "see docs/wasm-plugins.md.")
def wasm_group():
    pass


@wasm_group.command("list", help="List the project's WASM plugins: the hooks and "
                    "expression functions each exports and what each is granted (paths, "
                    "env, hosts, memory, timeout, fuel). Compiles what is not cached yet.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("-c", "--config", "config_path", metavar="PATH", help="Use this zr.toml.")
@click.pass_context
def list_command(ctx, as_json, config_path):
    from .hooks import plugins_for

    rows = [describe(plugin) for plugin in plugins_for(_project(ctx, config_path))]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    elif not rows:
        click.echo("no WASM plugins: add [plugins.wasm.NAME] path = \"x.wasm\" to zr.toml, "
                   "or run zr plugin install x.wasm")
    else:
        for row in rows:
            for line in render(row):
                click.echo(line)
    return 1 if any(row["error"] for row in rows) else 0
