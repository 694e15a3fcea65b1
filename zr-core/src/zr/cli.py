"""The ``zr`` command: a fast path for everyday invocations, click for the rest.

``zr run TASK``, ``zr TASK`` and ``zr list`` are parsed here from the
declared options (:mod:`zr.options`) without importing click, pluggy or
cattrs; anything else (``--help``, other commands, unusual flags) goes to
the click application in :mod:`zr.clickapp`, built from plugins' commands.
Both paths call the same functions, so they behave the same.

Exit codes: 0 success, 1 a task failed, 2 usage or config error, 127 a
task's command was not found, 130 interrupted.
"""

from __future__ import annotations

import os
import sys

from .errors import EXIT_INTERRUPTED, ZrError

# Commands the kernel itself provides (the rest come from plugins).
CORE_COMMANDS = ("run", "list", "graph", "validate", "init", "completion", "plugins")
_FAST_COMMANDS = ("run", "list")


class Invocation:
    """A parsed command line: the command, option values, targets and the
    words after ``--``."""

    __slots__ = ("command", "options", "targets", "args")

    def __init__(self, command, options, targets, args):
        self.command = command
        self.options = options
        self.targets = targets
        self.args = args


def fast_parse(argv: list, specs: list, commands) -> Invocation | None:
    """Parse the common forms; None when click should handle the line."""
    by_flag = {flag: spec for spec in specs for flag in spec.flags}
    from .options import defaults

    options = defaults(specs)
    given: set = set()
    command = None
    targets: list = []
    args: list = []
    i = 0
    while i < len(argv):
        word = argv[i]
        i += 1
        if word == "--":
            if command is None:
                return None
            args = argv[i:]
            break
        if word.startswith("-") and word != "-":
            if not word.startswith("--") and len(word) > 2 and word[:2] in by_flag:
                # -j2 (attached value) or -qv (bundled flags), as click accepts
                first = by_flag[word[:2]]
                if first.takes_value:
                    argv = argv[:i - 1] + [word[:2], word[2:]] + argv[i:]
                else:
                    argv = argv[:i - 1] + [f"-{c}" for c in word[1:]] + argv[i:]
                i -= 1
                continue
            flag, eq, value = word.partition("=")
            spec = by_flag.get(flag)
            if spec is None:
                return None  # --help, unknown or combined flags: click explains
            if spec.takes_value:
                if not eq:
                    if spec.flag_value is not None and (
                            i >= len(argv) or argv[i].startswith("-")):
                        value = spec.flag_value  # `--affected` with no REF after it
                    elif i >= len(argv):
                        return None
                    else:
                        value = argv[i]
                        i += 1
                converted = spec.convert(value)
                if spec.multiple:
                    if spec.name not in given:  # the command line replaces the env var
                        options[spec.name] = []
                    options[spec.name].append(converted)
                    given.add(spec.name)
                else:
                    options[spec.name] = converted
            elif eq:
                return None
            else:
                options[spec.name] = True
            continue
        if command is None:
            if word in _FAST_COMMANDS:
                command = word
                continue
            if word in CORE_COMMANDS or word in commands:
                return None
            command = "run"  # `zr build` is `zr run build`
        targets.append(word)
    if command is None:
        # Only options (`zr -j2`, `zr -n`): they apply to [settings] default,
        # as a bare `zr` runs it; without a default that is a usage error.
        command = "run"
    if command == "list" and targets:
        return None
    return Invocation(command, options, targets, args)


def make_printer(options: dict, config=None):
    from .output import Printer, use_color

    def choice(option: str, setting: str, default: str) -> str:
        return options.get(option) or (config.setting(setting) if config is not None
                                       else None) or default

    return Printer(color=use_color(options.get("no_color")), quiet=options.get("quiet"),
                   verbose=options.get("verbose"), mode=choice("output", "output", "stream"),
                   prefix=choice("log_prefix", "log_prefix", "name") != "none",
                   json_mode=options.get("format") == "json")


def execute(invocation: Invocation, plugins) -> int:
    """Run a parsed invocation; shared by the fast path and click."""
    from .project import load_project

    options = invocation.options
    options["targets"] = invocation.targets
    options["args"] = invocation.args
    printer = make_printer(options)
    config = load_project(options, plugins, warn=printer.warn)
    if invocation.command == "list":
        from .listing import list_tasks

        return list_tasks(config, as_json=options.get("format") == "json",
                          unsorted=options.get("unsorted", False))
    targets = invocation.targets
    if not targets:
        default = config.setting("default")
        chosen = None if default else config.plugins.call("zr_choose_targets",
                                                                 config=config)
        if chosen is not None:  # a plugin asked the user (a picker)
            if not chosen:
                return 0
            return execute(Invocation("run", options, list(chosen), invocation.args), plugins)
        if not default:
            from .errors import UsageError

            raise UsageError("no task given and no [settings] default; "
                             "`zr list` shows the tasks, `zr --help` the commands")
        targets = [default]
        options["targets"] = targets
    from .runner import run_tasks

    printer = make_printer(options, config)
    if invocation.args:
        _say_where_args_go(config, targets, invocation.args, printer)
    return run_tasks(config, targets, printer)


def _say_where_args_go(config, targets: list, args: list, printer) -> None:
    """Words after ``--`` go to the commands of the tasks named on the
    command line; a named task without commands (a group, a matrix) takes
    none, so say where they went instead of dropping them silently."""
    tasks = config.tasks
    names = [config.aliases.get(target, target) for target in targets]
    groups = [name for name in names if name in tasks and not tasks[name].cmds]
    if not groups:
        return
    takers = [name for name in names if name in tasks and tasks[name].cmds]
    words = " ".join(args)
    without = (f"{', '.join(repr(g) for g in groups)} "
               f"{'has' if len(groups) == 1 else 'have'} no commands of its own")
    if takers:
        printer.warn(f"the words after -- ({words}) go to {', '.join(takers)} only: "
                     f"{without}")
    else:
        printer.warn(f"the words after -- ({words}) go to no task: {without} (they are "
                     f"added to the commands of the tasks named on the command line; "
                     f"name the task that should get them)")


def main(argv: list) -> int:
    from .output import print_error

    try:
        from .plugins import PluginHost

        plugins = PluginHost()
        invocation = None
        if "_ZR_COMPLETE" not in os.environ:
            commands = {c for _, c in plugins.claims("commands")}
            invocation = fast_parse(argv, plugins.option_specs(), commands)
        if invocation is not None:
            if not argv:
                return _bare_zr(invocation, plugins)
            return execute(invocation, plugins)
        from .clickapp import run_click

        return run_click(argv, plugins)
    except ZrError as exc:
        print_error(str(exc), _no_color_given(argv))
        return exc.exit_code
    except KeyboardInterrupt:
        print_error("interrupted", _no_color_given(argv))
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        try:
            sys.stdout = None  # quiet the interpreter's flush at exit
        except Exception:
            pass
        return 0


def _no_color_given(argv: list) -> bool:
    """``--no-color`` among zr's own words (not a task's, after ``--``):
    errors found before the options are parsed must honour it too."""
    own = argv[:argv.index("--")] if "--" in argv else argv
    return "--no-color" in own


def _bare_zr(invocation, plugins) -> int:
    """A bare ``zr`` runs ``[settings] default``, or shows help."""
    from .errors import ConfigError

    try:
        return execute(invocation, plugins)
    except ConfigError as exc:
        if "no zr.toml found" not in str(exc):
            raise
    except ZrError as exc:
        if "no task given" not in str(exc):
            raise
    from .clickapp import run_click

    return run_click(["--help"], plugins)
