"""``zr plugins``: what is installed, from where, implementing what."""

import json

import click


def plugin_row(record: dict) -> dict:
    """One plugin as ``zr plugins --json`` shows it."""
    claims = record["claims"]
    return {
        "name": record["name"], "distribution": record["dist"],
        "version": record["version"], "module": record["module"],
        "builtin": record["builtin"], "hooks": record["hooks"],
        "sections": claims.get("sections", []), "task_fields": claims.get("task_fields", []),
        "settings": claims.get("settings", []), "commands": claims.get("commands", []),
        "options": [o["flags"][-1] for o in claims.get("options", [])],
        "error": record["error"], "local": record.get("local"),
    }


def hosted_rows(ctx, host) -> list:
    """Rows of plugins that plugins host (``zr_plugin_rows``), in a project
    only; a project that does not load is a warning, not a failed listing."""
    if not host.has_implementations("zr_plugin_rows"):
        return []
    from ..clickapp import merged_options
    from ..errors import ZrError
    from ..project import load_project

    try:
        config = load_project(merged_options(ctx, {}), host)
    except ZrError as exc:
        if "no zr.toml found" not in str(exc):
            click.echo(f"zr: warning: plugins this project hosts are not listed: {exc}",
                       err=True)
        return []
    rows = []
    for found in host.call("zr_plugin_rows", config=config):
        rows.extend({"hosted": True, **row} for row in found or ())
    return rows


@click.command("plugins", help="List installed plugins: distribution, version, hooks and "
               "what each adds to zr.toml and the command line.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def command(ctx, as_json):
    host = ctx.find_root().obj["plugins"]
    rows = [plugin_row(record) for record in host.records]
    hosted = hosted_rows(ctx, host)
    if as_json:
        click.echo(json.dumps(rows + hosted, indent=2))
        return 0
    for row in rows:
        origin = (f"local: {row['local']}" if row["local"]
                  else f"{row['distribution']} {row['version'] or ''}".strip())
        state = f"  BROKEN: {row['error']}" if row["error"] else ""
        click.echo(f"{row['name']}  ({origin}){state}")
        if row["hooks"]:
            click.echo(f"    hooks: {', '.join(row['hooks'])}")
        adds = [f"[{s}]" for s in row["sections"]] + [f"tasks.*.{f}" for f in
                                                      row["task_fields"]]
        if adds:
            click.echo(f"    config: {', '.join(adds)}")
        if row["commands"]:
            click.echo(f"    commands: {', '.join(row['commands'])}")
        if row["options"]:
            click.echo(f"    options: {', '.join(row['options'])}")
    for row in hosted:
        click.echo(f"{row['name']}  ({row.get('origin') or '?'})"
                   + (f"  BROKEN: {row['error']}" if row.get("error") else ""))
        if row.get("hooks"):
            click.echo(f"    hooks: {', '.join(row['hooks'])}")
        for line in row.get("details") or ():
            click.echo(f"    {line}")
    return 0
