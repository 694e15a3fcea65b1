"""The ``zr plugin`` command group (thin: parse, then call a module that does it)."""

from __future__ import annotations

import json

import click

CONFIG_HELP = "Read [plugins] from this zr.toml (default: the nearest one)."
SYSTEM_HELP = ("Install into zr's Python even if it is a system Python rather than a "
               "virtual environment.")


def _say(message: str) -> None:
    click.echo(f"zr: {message}", err=True)


def _records(ctx) -> list:
    return ctx.find_root().obj["plugins"].records


def _wasm_support(module: str):
    """A module of zr-plugin-wasm, which handles .wasm files and --wasm."""
    import importlib

    try:
        return importlib.import_module(f"zr_plugin_wasm.{module}")
    except ImportError:
        from zr.errors import UsageError

        raise UsageError("WASM plugins need zr-plugin-wasm: zr plugin install wasm") from None


class IndexSource:
    """The plugin index the user chose, read once on first use (installing
    from a path never touches it)."""

    def __init__(self, option=None, config=None, timeout=None):
        self.option = option
        self.config = config
        self.timeout = timeout
        self.where = None
        self._entries = None

    def entries(self) -> list:
        if self._entries is None:
            from .registry_index import DEFAULT_TIMEOUT, choose_location, load_index
            from .settings import ProjectPlugins

            project = ProjectPlugins.read(self.config)
            self.where = choose_location(self.option, project.index, project.root)
            self._entries = load_index(self.where, self.timeout or DEFAULT_TIMEOUT)
        return self._entries


@click.group("plugin", help="Install, remove, update, inspect, find and create zr plugins.\n\n"
             "Plugins are installed into the Python environment zr runs from, and checked "
             "to load before the command succeeds.")
def plugin_group():
    pass


@plugin_group.command("install", help=(
    "Install plugins: a NAME (docker, zr-plugin-docker, 'zr-plugin-docker>=1.2'), a local "
    "PATH, or a URL such as git+https://host/repo.git@v1. The plugin must load afterwards "
    "and fit this zr-core, or the install is rolled back. A .wasm file is added to this "
    "project as a WASM plugin (copied to .zr/wasm/, pinned in zr.toml)."))
@click.argument("plugins", nargs=-1)
@click.option("--required", is_flag=True, help="Also install what [plugins] required in "
              "zr.toml lists and is missing or at the wrong version.")
@click.option("-e", "--editable", is_flag=True, help="Install local PATHs in editable mode "
              "(for plugin development).")
@click.option("-U", "--upgrade", is_flag=True, help="Upgrade to the newest version allowed.")
@click.option("--no-deps", is_flag=True, help="Do not install the plugins' dependencies.")
@click.option("--system", is_flag=True, help=SYSTEM_HELP)
@click.option("--index", "index", metavar="URL", help="Plugin index to look NAMEs up in.")
@click.option("-c", "--config", "config", metavar="PATH", help=CONFIG_HELP)
def install_command(plugins, required, editable, upgrade, no_deps, system, index, config):
    from .operations import install
    from .settings import ProjectPlugins

    modules = [p for p in plugins if p.endswith(".wasm")]  # WASM plugins join the project
    for path in modules:
        _wasm_support("install").install_wasm(path, config_path=config, say=_say)
    plugins = [p for p in plugins if not p.endswith(".wasm")]
    if modules and not plugins and not required:
        return 0
    project = ProjectPlugins.read(config) if required else None
    if project is not None and project.path is None:
        from zr.errors import UsageError

        raise UsageError("--required: no zr.toml found here or in a parent directory")
    return install(list(plugins), project=project,
                   index_loader=IndexSource(index, config).entries,
                   system=system, no_deps=no_deps, editable=editable, upgrade=upgrade,
                   say=_say, echo=click.echo)


@plugin_group.command("remove", help="Uninstall plugins, by plugin name (docker) or "
                      "distribution (zr-plugin-docker).")
@click.argument("plugins", nargs=-1, required=True)
@click.option("--system", is_flag=True, help=SYSTEM_HELP)
@click.option("-c", "--config", "config", metavar="PATH", help=CONFIG_HELP)
@click.pass_context
def remove_command(ctx, plugins, system, config):
    from zr.errors import ZrError

    from .operations import remove
    from .settings import ProjectPlugins

    try:
        required = ProjectPlugins.read(config).required
    except ZrError:  # a broken zr.toml must not prevent removing a plugin
        required = []
    return remove(list(plugins), records=_records(ctx), project_required=required,
                  system=system, say=_say, echo=click.echo)


@plugin_group.command("update", help="Update plugins (all when none is named): to a "
                      "newer version the plugin index lists, else from where each was "
                      "installed (the package index, its path or its git URL). zr-core "
                      "itself is never changed.")
@click.argument("plugins", nargs=-1)
@click.option("--no-deps", is_flag=True, help="Do not update the plugins' dependencies.")
@click.option("--system", is_flag=True, help=SYSTEM_HELP)
@click.option("--index", "index", metavar="URL|PATH", help="The plugin index to look for "
              "newer versions in (default: ZR_PLUGIN_INDEX, [plugins] index in zr.toml, "
              "else the official plugins).")
@click.option("-c", "--config", "config", metavar="PATH", help=CONFIG_HELP)
@click.pass_context
def update_command(ctx, plugins, no_deps, system, index, config):
    from .operations import update

    return update(list(plugins), records=_records(ctx),
                  index_loader=IndexSource(index, config).entries, system=system,
                  no_deps=no_deps, say=_say, echo=click.echo)


@plugin_group.command("info", help="Show one plugin: version, where it was installed from, "
                      "the zr-core it needs, its hooks and what it adds to zr.toml and the "
                      "command line.")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--index", "index", metavar="URL", help="Plugin index to look NAME up in "
              "when it is not installed.")
@click.pass_context
def info_command(ctx, name, as_json, index):
    from .info import describe, render

    info = describe(name, _records(ctx), IndexSource(index).entries)
    if as_json:
        click.echo(json.dumps(info, indent=2))
    else:
        for line in render(info):
            click.echo(line)
    return 0


@plugin_group.command("list", help="List installed plugins (the same as `zr plugins`).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_context
def list_command(ctx, as_json):
    from zr.api import plugins_command

    return ctx.invoke(plugins_command, as_json=as_json)


@plugin_group.command("search", help="Search a plugin index for TERM in names and "
                      "summaries (everything it lists when TERM is omitted).")
@click.argument("term", required=False)
@click.option("--index", "index", metavar="URL|PATH", help="The index to read (default: "
              "ZR_PLUGIN_INDEX, [plugins] index in zr.toml, else the official plugins).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds to wait for an index server.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("-c", "--config", "config", metavar="PATH", help=CONFIG_HELP)
def search_command(term, index, timeout, as_json, config):
    from .search import render, search

    source = IndexSource(index, config, timeout)
    rows = search(source.entries(), term)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
    else:
        for line in render(rows, term, source.where):
            click.echo(line)
    return 0


@plugin_group.command("create", help="Write a new plugin distribution to ./zr-plugin-NAME/: "
                      "pyproject with the entry point, a sample hook and command, tests "
                      "that pass, a README. Never overwrites.")
@click.argument("name")
@click.option("--hook", "hooks", multiple=True, metavar="HOOK", help="Also stub this hook "
              "(repeatable), e.g. --hook zr_task_finish; documented from zr.hookspecs.")
@click.option("--wasm", type=click.Choice(["go", "c", "rust", "js"]), help="Write a WASM "
              "plugin in this language to ./zr-wasm-NAME/ instead, with its build command "
              "(docs/wasm-plugins.md).")
def create_command(name, hooks, wasm):
    import os

    if wasm:
        scaffold = _wasm_support("scaffold")
        click.echo(scaffold.next_steps(scaffold.create(name, os.getcwd(), wasm), wasm))
        return 0
    from .scaffold import create

    root = create(name, os.getcwd(), list(hooks))
    shown = os.path.relpath(root)
    click.echo(f"created {shown}/ (a zr plugin distribution). Next:\n"
               f"  zr plugin install -e {shown}     # zr uses it from now on\n"
               f"  cd {shown} && pytest             # its tests (pip install pytest first)")
    return 0


@plugin_group.group("index", help="Maintain a plugin index: the JSON document `zr plugin "
                    "search` and `zr plugin install NAME` read (format in docs/plugins.md).")
def index_group():
    pass


@index_group.command("add", help="Add built wheels to a plugin index (or update their "
                     "entries): name, version, summary, zr-core range, hooks and where to "
                     "install from, all read from the wheel. The index file is created if "
                     "missing.")
@click.argument("wheels", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--index", "index", required=True, metavar="FILE",
              help="The index file to write (e.g. site/index.json).")
@click.option("--install-base", metavar="URL", help="Install the wheels from URL/<wheel file> "
              "(default: the wheel's path relative to the index, which also works when the "
              "index and its wheels are served together over HTTP).")
def index_add_command(wheels, index, install_base):
    from .index_add import add_wheels

    for entry in add_wheels(list(wheels), index, install_base):
        hooks = ", ".join(entry["hooks"]) or "no hooks"
        click.echo(f"{index}: {entry['name']} {entry['version']} (install: "
                   f"{entry['install']}; {hooks})")
    return 0
