"""``zr tools ...`` and ``zr exec -- CMD``.

Every command works inside a project (its ``[tools]``, ``.tool-versions``
and ``zr.lock``) and outside one (then only what is named on the command
line, and no lock).
"""

from __future__ import annotations

import json
import os
import sys

import click

from zr.api import UsageError, ZrError

FORMAT = click.option("--format", "format", type=click.Choice(["text", "json"]),
                      default="text", help="Output format.")
CONFIG = click.option("-c", "--config", "config", default=None, metavar="PATH",
                      help="Use this zr.toml.")


class _NoProject:
    """Stands in for a Config outside any project."""

    def __init__(self, plugins, options: dict):
        self.doc: dict = {}
        self.root = os.getcwd()
        self.options = options
        self.plugins = plugins
        self.tasks: dict = {}
        self.display_path = "(no zr.toml)"
        self.in_project = False


class Context:
    """The project (or none), the registry and a toolbox, for one command."""

    def __init__(self, ctx, config_path, tools=()):
        from zr.api import merged_options
        from zr.api import find_config
        from zr.api import make_printer

        from .registry import toolchains
        from .runtime import project_toolbox

        plugins = ctx.find_root().obj["plugins"]
        options = merged_options(ctx, {"config": config_path})
        options["tool"] = list(tools)
        self.printer = make_printer({**options, "format": None})
        try:
            find_config(config_path)
        except ZrError:
            if config_path:
                raise
            self.config = _NoProject(plugins, options)
        else:
            from zr.api import load_project

            self.config = load_project(options, plugins)
            self.config.in_project = True
        self.registry = toolchains(plugins)
        self.toolbox = project_toolbox(self.config, self.printer,
                                       write_lock=self.config.in_project)

    def project_requirements(self) -> dict:
        from .sources import project_requirements

        if not self.config.in_project:
            return {}
        return project_requirements(self.config, self.registry)

    def active_requirements(self) -> list:
        """The project's tools plus ``--tool``, as a task without its own list sees them."""
        from zr.api import Task

        from .sources import task_requirements

        task = Task("(command line)", cwd=os.getcwd())
        return task_requirements(task, self.config, self.registry, self.project_requirements())

    def named(self, items) -> list:
        """Requirements for ``TOOL@SPEC`` words (a bare TOOL: the project's spec)."""
        from .sources import Requirement, split_item

        project = self.project_requirements()
        out = []
        for item in items:
            name, spec = split_item(item)
            provider = self.registry.get(name)
            known = project.get(provider.name) or Requirement(provider.name, "latest", item)
            out.append(known.derive(spec or known.spec, item))
        return out


def _emit(format: str, payload, text: str) -> None:
    click.echo(json.dumps(payload, indent=2) if format == "json" else text)


@click.group("tools", help="Install, list and inspect the toolchains tasks run with "
             "(see docs/toolchains.md).")
def tools_group():
    pass


@tools_group.command("list", help="Installed toolchains, and the versions this project "
                     "asks for.")
@FORMAT
@CONFIG
@click.pass_context
def list_command(ctx, format, config):
    from .store import install_dir, installed_metadata, installed_versions

    context = Context(ctx, config)
    project = context.project_requirements()
    rows = []
    for name in sorted(context.registry.providers):
        requirement = project.get(name)
        for version in sorted(installed_versions(name), reverse=True):
            meta = installed_metadata(name, version.text) or {}
            rows.append({"tool": name, "version": version.text,
                         "home": install_dir(name, version.text), "sha256": meta.get("sha256"),
                         "project_spec": requirement.spec if requirement else None})
        if requirement and not any(r["tool"] == name for r in rows):
            rows.append({"tool": name, "version": None, "home": None, "sha256": None,
                         "project_spec": requirement.spec})
    lines = [f"{r['tool']:<8} {r['version'] or '(not installed)':<16} "
             + (f"project: {r['project_spec']}" if r["project_spec"] else "")
             for r in rows]
    _emit(format, {"tools": rows},
          "\n".join(line.rstrip() for line in lines) or "no toolchains installed")


@tools_group.command("install", help="Install toolchains: TOOL@VERSION words, or with "
                     "none, every toolchain the project names ([tools], .tool-versions, "
                     "tasks' toolchain).")
@click.argument("items", nargs=-1, metavar="[TOOL@VERSION]...")
@FORMAT
@CONFIG
@click.pass_context
def install_command(ctx, items, format, config):
    context = Context(ctx, config)
    requirements = context.named(items) if items else _every_requirement(context)
    if not requirements:
        raise UsageError("nothing to install: name toolchains (zr tools install node@20) "
                         "or list them in [tools]")
    try:
        resolved = [context.toolbox.ensure(r) for r in requirements]
    finally:
        context.toolbox.save()
    _emit(format, {"installed": [r.to_json() for r in resolved]},
          "\n".join(f"{r.tool} {r.version}  {r.home}" for r in resolved))


def _every_requirement(context) -> list:
    from .sources import task_requirements

    seen: dict = {}
    project = context.project_requirements()
    for requirement in project.values():
        seen[(requirement.tool, requirement.spec)] = requirement
    for task in context.config.tasks.values():
        for requirement in task_requirements(task, context.config, context.registry, project):
            seen.setdefault((requirement.tool, requirement.spec), requirement)
    return list(seen.values())


@tools_group.command("uninstall", help="Remove installed versions: TOOL@VERSION "
                     "(a spec removes every installed version it matches).")
@click.argument("items", nargs=-1, required=True, metavar="TOOL@VERSION...")
@CONFIG
@click.pass_context
def uninstall_command(ctx, items, config):
    from .sources import split_item
    from .install import uninstall
    from .store import installed_versions
    from .versions import parse_spec

    context = Context(ctx, config)
    for item in items:
        name, spec = split_item(item)
        provider = context.registry.get(name)
        if spec is None:
            raise UsageError(f"say which version of {provider.name} to remove: "
                             f"{provider.name}@VERSION")
        wanted = parse_spec(spec)
        matching = [v for v in installed_versions(provider.name) if wanted.matches(v)]
        if not matching:
            raise UsageError(f"no installed version of {provider.name} matches '{spec}'")
        for version in matching:
            uninstall(provider.name, version.text)
            click.echo(f"removed {provider.name} {version.text}")


@tools_group.command("outdated", help="For each toolchain the project names: the version "
                     "in use, the newest its spec allows and the newest released.")
@FORMAT
@CONFIG
@click.pass_context
def outdated_command(ctx, format, config):
    from .versions import parse_spec

    context = Context(ctx, config)
    rows = []
    for requirement in _every_requirement(context):
        provider = context.registry.get(requirement.tool)
        current, _ = context.toolbox.choose(provider, parse_spec(requirement.spec), requirement)
        wanted = context.toolbox.latest(provider, requirement.spec)
        latest = context.toolbox.latest(provider, "latest")
        rows.append({"tool": provider.name, "spec": requirement.spec, "current": current,
                     "wanted": wanted.version.text if wanted else None,
                     "latest": latest.version.text if latest else None,
                     "outdated": bool(wanted and wanted.version.text != current)})
    text = "\n".join(f"{r['tool']:<8} {r['spec']:<10} current {r['current']:<12} "
                     f"wanted {r['wanted'] or '-':<12} latest {r['latest'] or '-'}"
                     + ("  (outdated)" if r["outdated"] else "") for r in rows)
    _emit(format, {"tools": rows}, text or "the project names no toolchains")


@tools_group.command("which", help="Where PROGRAM (node, npm, gofmt, ...) of the "
                     "project's toolchains is; nothing is installed.")
@click.argument("program")
@click.option("--tool", "tools", multiple=True, metavar="TOOL@VERSION",
              help="Look in this toolchain too.")
@CONFIG
@click.pass_context
def which_command(ctx, program, tools, config):
    from .store import install_dir, installed_metadata
    from .versions import parse_spec

    context = Context(ctx, config, tools)
    for requirement in context.active_requirements():
        provider = context.registry.get(requirement.tool)
        spec = parse_spec(requirement.spec)
        try:
            version, _ = context.toolbox.choose(provider, spec, requirement)
        except ZrError:
            continue
        if installed_metadata(provider.name, version) is None:
            continue
        for directory in provider.bin_dirs:
            path = os.path.join(install_dir(provider.name, version), directory, program)
            if os.access(path, os.X_OK) and not os.path.isdir(path):
                click.echo(path)
                return 0
    raise ZrError(f"'{program}' is not in any installed toolchain of this project; "
                  "`zr tools install` installs them, `zr tools list` shows them")


@tools_group.command("env", help="The environment tasks get from the project's toolchains "
                     "(installing them if needed): `eval \"$(zr tools env)\"`.")
@click.option("--tool", "tools", multiple=True, metavar="TOOL@VERSION",
              help="Add this toolchain.")
@FORMAT
@CONFIG
@click.pass_context
def env_command(ctx, tools, format, config):
    import shlex

    from .activations import activate

    context = Context(ctx, config, tools)
    changes = _tool_env(context, activate)
    text = "\n".join(f"export {k}={shlex.quote(v)}" for k, v in changes.items())
    _emit(format, {"env": changes}, text)


def _tool_env(context, activate) -> dict:
    try:
        resolved = [context.toolbox.ensure(r) for r in context.active_requirements()]
    finally:
        context.toolbox.save()
    env: dict = {"PATH": os.environ.get("PATH", "")}
    activate(env, [r.activation() for r in resolved])
    return {k: v for k, v in env.items() if os.environ.get(k) != v}


@click.command("exec", help="Run a command with the project's toolchains (and --tool ones) "
               "on PATH: zr exec --tool node@20 -- node --version.")
@click.option("--tool", "tools", multiple=True, metavar="TOOL@VERSION",
              help="Add this toolchain (repeatable).")
@CONFIG
@click.argument("command", nargs=-1)
@click.pass_context
def exec_command(ctx, tools, config, command):
    import subprocess

    from .activations import activate

    argv = list(command) + list(ctx.find_root().obj.get("args") or ())
    if not argv:
        raise UsageError("zr exec needs a command: zr exec -- node --version")
    context = Context(ctx, config, tools)
    env = dict(os.environ)
    env.update(_tool_env(context, activate))
    sys.stdout.flush()
    try:
        return subprocess.call(argv, env=env)
    except FileNotFoundError:
        context.printer.error(f"{argv[0]}: command not found")
        return 127
    except KeyboardInterrupt:
        return 130


@tools_group.command("mirror", help="Fill DIR with the upstream layout of TOOL@VERSION... "
                     "(index, archives, checksum files), to serve as a mirror for "
                     "air-gapped machines: ZR_MIRROR_NODE=http://host/node/ or a path.")
@click.argument("directory")
@click.argument("items", nargs=-1, required=True, metavar="TOOL@VERSION...")
@click.option("--platform", "platforms", multiple=True, metavar="OS-ARCH",
              help="Platforms to fetch (default: this machine), e.g. linux-x86_64.")
@CONFIG
@click.pass_context
def mirror_command(ctx, directory, items, platforms, config):
    from .mirror import fill_mirror

    context = Context(ctx, config)
    for line in fill_mirror(context, directory, context.named(items), platforms):
        click.echo(line)
