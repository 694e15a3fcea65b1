"""The click application: ``--help``, every command, plugins' commands.

Commands come from the ``zr_cli_commands`` hook, the kernel's own included
(:mod:`zr.commands`). They are loaded lazily: the plugin index knows which
plugin provides which command, so ``zr cache stats`` imports the cache
plugin and no other. An unknown command word that names a task runs it
(``zr build`` is ``zr run build``).
"""

from __future__ import annotations

import click

from .errors import PluginError, ZrError
from .options import OptionSpec

HELP = """zr: run tasks and workflows from zr.toml, in parallel, with caching.

\b
Everyday use:
  zr list                 the tasks of this project
  zr run build            run `build` and its dependencies
  zr build                the same, shorter
  zr run test -- -k slow  pass words to the task
  zr graph build          what `build` depends on
"""


def click_param(spec: OptionSpec) -> click.Option:
    """A click option from a declared :class:`OptionSpec`.

    Defaults are None so that an option given after the command can be told
    apart from the group-level value (``zr -j2 run x`` and ``zr run x -j2``).
    """
    kwargs: dict = {"help": spec.help, "default": None}
    if not spec.takes_value:
        kwargs["is_flag"] = True
    elif spec.multiple:
        kwargs["multiple"] = True
    if spec.takes_value and spec.choices:
        kwargs["type"] = click.Choice(spec.choices)
    if spec.metavar:
        kwargs["metavar"] = spec.metavar
    if spec.flag_value is not None:  # the value may be left out: `--affected`
        kwargs.update(is_flag=False, flag_value=spec.flag_value)
        kwargs["metavar"] = f"[{spec.metavar or 'VALUE'}]"
    return click.Option(spec.flags + [spec.name], **kwargs)


class TaskCommand(click.Command):
    """A command that accepts every declared task option, the kernel's and
    those plugins add (``zr run``, ``zr workflow``)."""

    def get_params(self, ctx):
        if not getattr(self, "_declared", False):
            specs = ctx.find_root().obj["plugins"].option_specs()
            self.params[:0] = [click_param(spec) for spec in specs]
            self._declared = True
        return super().get_params(ctx)


def merged_options(ctx: click.Context, given: dict) -> dict:
    """Option values: declared defaults < group-level flags < command flags."""
    from .options import defaults

    plugins = ctx.obj["plugins"]
    specs = plugins.option_specs()
    values = defaults(specs)
    for layer in (ctx.obj.get("group_options", {}), given):
        for spec in specs:
            value = layer.get(spec.name)
            if value is None or value == () or value is False:
                continue
            if spec.takes_value and not spec.multiple and spec.kind == "int":
                value = spec.convert(str(value))
            values[spec.name] = list(value) if spec.multiple else value
    values["args"] = ctx.obj.get("args", [])
    return values


class ZrGroup(click.Group):
    """Root group: lazy plugin commands and the ``zr TASK`` shortcut."""

    def _plugins(self, ctx):
        return ctx.find_root().obj["plugins"]

    def _providers(self, ctx) -> dict:
        cache = ctx.find_root().obj.setdefault("providers", {})
        if not cache:
            for plugin, name in self._plugins(ctx).claims("commands"):
                if name in cache and cache[name] != plugin:
                    raise PluginError(f"plugins '{cache[name]}' and '{plugin}' both add the "
                                      f"command '{name}'; uninstall one of them")
                cache[name] = plugin
        return cache

    def list_commands(self, ctx):
        return sorted(self._providers(ctx))

    def get_command(self, ctx, name):
        plugin = self._providers(ctx).get(name)
        if plugin is None:
            return None
        host = self._plugins(ctx)
        record = next(r for r in host.usable() if r["name"] == plugin)
        module = host.load(record)
        if module is None:
            return None
        collector = click.Group()
        module.zr_cli_commands(cli=collector)
        return collector.commands.get(name)

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            if any(a in ("-h", "--help") for a in args[1:]):
                _refuse_missing_command(name)
            return "run", self.get_command(ctx, "run"), args
        return super().resolve_command(ctx, args)


def _refuse_missing_command(name: str) -> None:
    """``zr watch --help`` without the plugin that adds ``watch``: say which
    plugin to install rather than show ``zr run``'s help."""
    from .errors import UsageError
    from .missing import hint

    provides = hint("commands", name)
    if provides:
        raise UsageError(f"no command named '{name}': `zr {name}` is a plugin's command; "
                         f"{provides}")


def _missing_option_hint(exc) -> str:
    """For ``--profile`` without the plugin that adds it: which plugin does."""
    from .missing import hint

    option = getattr(exc, "option_name", None)
    provides = hint("options", option) if option else None
    return f"no such option: {option}; {provides}" if provides else ""


def build_app(plugins):
    specs = plugins.option_specs()

    @click.group(cls=ZrGroup, help=HELP, invoke_without_command=True,
                 context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(package_name="zr-core", prog_name="zr")
    @click.pass_context
    def app(ctx, **group_options):
        ctx.obj["group_options"] = group_options
        if ctx.invoked_subcommand is None:
            click.echo(ctx.get_help())

    app.params.extend(click_param(spec) for spec in specs)
    return app


def run_click(argv: list, plugins) -> int:
    """Run the click app; returns the exit code instead of exiting."""
    args: list = []
    if "--" in argv:
        cut = argv.index("--")
        argv, args = argv[:cut], argv[cut + 1:]
    app = build_app(plugins)
    try:
        result = app.main(args=argv, prog_name="zr", standalone_mode=False,
                          obj={"plugins": plugins, "args": args})
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help())
        return 0
    except click.UsageError as exc:
        from .output import print_error

        hint = f"; try `{exc.ctx.command_path} --help`" if exc.ctx else ""
        message = (isinstance(exc, click.NoSuchOption) and _missing_option_hint(exc)) \
            or f"{exc.format_message().rstrip('.')}{hint}"
        print_error(message, "--no-color" in argv)
        return 2
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        return 130
    except ZrError:
        raise
    return result if isinstance(result, int) else 0
