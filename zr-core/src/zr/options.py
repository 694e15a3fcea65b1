"""Command-line options of the task commands, declared once as data.

The same declarations build the click options of ``zr run``/``list``/
``graph`` (for ``--help`` and unusual command lines) and drive the small
parser of :mod:`zr.fastcli`, which handles the common invocations without
importing click. Plugins add options through the ``zr_options`` hook; the
plugin index records them so the fast path does not import the plugin.
"""

from __future__ import annotations

from .errors import UsageError


class OptionSpec:
    """One option: ``name`` is its key in ``config.options``."""

    __slots__ = ("name", "flags", "help", "takes_value", "multiple", "envvar", "default",
                 "choices", "metavar", "kind", "flag_value")

    def __init__(self, name, flags, help="", takes_value=True, multiple=False, envvar=None,
                 default=None, choices=None, metavar=None, kind="str", flag_value=None):
        self.name = name
        self.flags = list(flags)
        self.help = help
        self.takes_value = takes_value
        self.multiple = multiple
        self.envvar = envvar
        self.default = default
        self.choices = list(choices) if choices else None
        self.metavar = metavar
        self.kind = kind  # "str" | "int"
        # The value of an option given without one (last on the line, or
        # before another option or ``--``): ``--affected`` alone, say.
        self.flag_value = flag_value

    def to_dict(self) -> dict:
        return {slot: getattr(self, slot) for slot in self.__slots__}

    @classmethod
    def from_dict(cls, data: dict) -> "OptionSpec":
        return cls(**data)

    def convert(self, raw: str):
        """Check and convert one value given on the command line."""
        if self.kind == "int":
            try:
                value = int(raw)
            except ValueError:
                raise UsageError(f"{self.flags[0]}: expected a whole number, got '{raw}'") \
                    from None
            if self.name == "jobs" and not 1 <= value <= 100_000:
                raise UsageError(f"{self.flags[0]}: expected a number from 1 to 100000, "
                                 f"got {value}")
            return value
        if self.choices and raw not in self.choices:
            raise UsageError(f"{self.flags[0]}: expected one of {', '.join(self.choices)}, "
                             f"got '{raw}'")
        return raw


class OptionRegistry:
    """What ``zr_options`` implementations receive."""

    def __init__(self):
        self.specs: list = []

    def add(self, name: str, flags, *, help: str = "", takes_value: bool = True,
            multiple: bool = False, envvar: str | None = None, default=None,
            choices=None, metavar: str | None = None, kind: str = "str",
            flag_value: str | None = None) -> None:
        self.specs.append(OptionSpec(name, flags, help, takes_value, multiple, envvar,
                                     default, choices, metavar, kind, flag_value))


CORE_OPTIONS = [
    OptionSpec("jobs", ["-j", "--jobs"], "Run at most N tasks at once [default: CPU count].",
               kind="int", metavar="N", envvar="ZR_JOBS"),
    OptionSpec("config", ["-c", "--config"], "Use this zr.toml instead of searching upwards.",
               metavar="PATH"),
    OptionSpec("format", ["--format"], "Output format of results.", choices=["text", "json"],
               default="text"),
    OptionSpec("no_color", ["--no-color"], "Plain output (also NO_COLOR=1).",
               takes_value=False),
    OptionSpec("quiet", ["-q", "--quiet"], "Silence zr's own lines (never task output or "
               "errors).", takes_value=False),
    OptionSpec("verbose", ["-v", "--verbose"], "Show each command as it starts.",
               takes_value=False),
    OptionSpec("dry_run", ["-n", "--dry-run"], "Print the plan and every command; run "
               "nothing.", takes_value=False),
    OptionSpec("keep_going", ["-k", "--keep-going"], "After a failure, keep running tasks "
               "that do not depend on it.", takes_value=False),
    OptionSpec("env", ["-e", "--env"], "Set an environment variable for every task "
               "(highest precedence).", multiple=True, metavar="KEY=VALUE"),
    OptionSpec("no_deps", ["--no-deps"], "Run only the named tasks, not their dependencies.",
               takes_value=False),
    OptionSpec("force", ["-f", "--force"], "Run the named tasks even if a plugin would skip "
               "them (cache hit, up to date).", takes_value=False),
    OptionSpec("parallel", ["-p", "--parallel"], "Run the named tasks as one graph, at once, "
               "instead of one after another.", takes_value=False),
    OptionSpec("log_prefix", ["--log-prefix"], "Prefix each line of task output with the "
               "task's name (name), or let tasks write to the terminal directly (none) "
               "[default: [settings] log_prefix, else name].", choices=["name", "none"]),
    OptionSpec("output", ["--output"], "How task output is shown [default: [settings] "
               "output, else stream].", choices=["stream", "group", "errors-only"]),
]


def defaults(specs) -> dict:
    """Option values before the command line and environment are read."""
    import os

    values = {}
    for spec in specs:
        value = spec.default
        if spec.envvar and os.environ.get(spec.envvar):
            raw = os.environ[spec.envvar]
            value = [v for v in raw.split(",") if v] if spec.multiple else spec.convert(raw)
        if spec.multiple:
            value = list(value or ())
        elif not spec.takes_value:
            value = bool(value)
        values[spec.name] = value
    return values
