"""The plugin host: discovery, a cached index, lazy loading, failure isolation.

Plugins are modules registered on the entry-point group ``zr`` (the
kernel's own built-ins are registered the same way, from the list below).
Discovering them means importing ``importlib.metadata`` and every plugin,
which costs more than a whole ``zr list``; so the result is cached in an
index: for each plugin, its distribution, version, the hooks it implements
and what it claims (config sections, task fields, settings, options,
commands). The index is keyed on the mtimes of the ``sys.path`` entries
(installing or removing a distribution changes them) and of each plugin's
module file (an editable plugin being edited).

With the index, a hook is called by importing only the plugins that
implement it, and calling their functions directly in pluggy's order
(``tryfirst`` implementations first, ``trylast`` last, later-registered
before earlier within each group; ``firstresult`` hooks stop at the first
non-None result). How a hook is called is read from its spec, never
chosen by the caller: ``firstresult`` hooks return the first non-None
result, the others a list; the specs of the kernel (:mod:`zr.hookspecs`) and
those plugins add through ``zr_addhooks`` are recorded in the index too, so
an implementation of a hook nobody declares (a misspelling) is refused with
the nearest hook's name. Importing pluggy and registering every plugin
costs more than a trivial run, so the pluggy manager is built only when
something needs it: a hook wrapper, a plugin calling its own hook through
``pm``, or a command that lists the hooks; it then registers every plugin.

A hook implementation that raises names its plugin and distribution; in an
observer hook (the run's lifecycle) it is a warning and the other
implementations still run.

A plugin that fails to import is reported once per invocation, with how to
remove it (or, when a distribution it requires is missing, how to install
that again), and the rest of zr works; ``ZR_STRICT_PLUGINS=1`` makes it fatal.
``ZR_DISABLE_PLUGINS=a,b`` leaves plugins out, as ``pytest -p no:name``;
``ZR_PLUGINS=module,other.module`` adds plugin modules that are not installed
as distributions (a plugin under development, a test's recording plugin),
as ``pytest -p module`` does. A project's ``.zr/plugins/*.py`` files are its
own plugins (:mod:`zr.local_plugins`), found with one ``stat``.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib

from . import __version__
from .errors import PluginError, ZrError, did_you_mean
from .paths import atomic_write, cache_dir

ENTRY_POINT_GROUP = "zr"
# The kernel's own features, registered exactly like third-party plugins.
BUILTIN_PLUGINS = (("core", "zr.builtin"), ("core-commands", "zr.commands"))
_INDEX_FORMAT = 5


def _strict() -> bool:
    return os.environ.get("ZR_STRICT_PLUGINS", "") not in ("", "0", "false", "no")


def _debugging() -> bool:
    return os.environ.get("ZR_DEBUG", "") not in ("", "0", "false", "no")


class HookError(PluginError):
    """A plugin's hook implementation raised something that is not a
    :class:`ZrError` (a bug in the plugin): names the plugin, its
    distribution and the hook; the original exception is ``__cause__``."""

    def __init__(self, record: dict, hook: str, error: BaseException):
        self.plugin = record["name"]
        self.hook = hook
        dist = f"{record['dist']} {record['version'] or ''}".strip() if record["dist"] \
            else record.get("local") or "?"
        super().__init__(f"plugin '{record['name']}' ({dist}) failed in {hook}: "
                         f"{_describe(error)}")


class PluginHost:
    """Finds plugins, loads them on demand and calls their hooks."""

    def __init__(self, printer=None):
        self._warn = printer.warn if printer else _stderr_warning
        # Set by the runner from -v: tracebacks of failing hooks go to stderr.
        self.verbose = False
        disabled = {n.strip() for n in os.environ.get("ZR_DISABLE_PLUGINS", "").split(",")}
        specs, records = load_index()
        records = records + [
            make_record(name.strip(), name.strip(), None, None)
            for name in os.environ.get("ZR_PLUGINS", "").split(",") if name.strip()]
        local = _local_plugin_dir()
        if local:  # .zr/plugins beside zr.toml: this project's own plugins
            from .local_plugins import load_records

            records = records + load_records(local, {r["name"] for r in records})
        self.records = [r for r in records if r["name"] not in disabled]
        self.specs = dict(specs)
        for record in self.records:
            if not record["error"]:
                self.specs.update(record["added_specs"])
        self.digest = "%08x" % zlib.crc32(repr([(r["name"], r["version"], r["hooks"],
                                                 r["claims"]) for r in self.records]).encode())
        self._pm = None
        self._order: dict = {}
        self._calls: dict = {}
        self._loaded: dict = {}
        self._registry = None
        self._reported: set = set()
        for record in self.records:
            if not record["error"]:
                record["error"] = unknown_hooks(record, self.specs)
            if record["error"]:
                self._report(record, record["error"])

    # -- reporting ---------------------------------------------------------

    def _report(self, record: dict, error: str) -> None:
        if record["name"] in self._reported:
            return
        self._reported.add(record["name"])
        dist = record["dist"] or "?"
        missing = _missing_requirements(record["dist"], error)
        if record.get("local"):
            message = (f"local plugin '{record['name']}' ({record['local']}) failed to load "
                       f"and is disabled: {error}. zr works without it; fix or remove the "
                       "file, or set ZR_STRICT_PLUGINS=1 to make this an error")
            if _strict():
                raise PluginError(message.split(". zr works")[0] + " (ZR_STRICT_PLUGINS is set)")
            self._warn(message)
            return
        if missing:  # its base was removed: reinstalling that is the fix
            from .missing import install_command

            one = len(missing) == 1
            remedy = (f"it needs {', '.join(missing)}, which {'is' if one else 'are'} not "
                      f"installed: install {'it' if one else 'them'} again "
                      f"(`{install_command(' '.join(missing))}`), or remove {dist} "
                      f"(`pip uninstall {dist}`)")
        else:
            remedy = f"remove it with `pip uninstall {dist}`"
        message = (f"plugin '{record['name']}' ({dist} {record['version'] or ''}".rstrip()
                   + f") failed to load and is disabled: {error}. zr works without it; "
                   f"{remedy}, or set ZR_STRICT_PLUGINS=1 to make this an error")
        if _strict():
            raise PluginError(message.split(". zr works")[0] + " (ZR_STRICT_PLUGINS is set)")
        self._warn(message)

    def show_traceback(self, error: BaseException) -> None:
        """Print ``error``'s traceback (its cause's, for a :class:`HookError`)
        under ``-v`` or ``ZR_DEBUG=1``."""
        if not (self.verbose or _debugging()):
            return
        import traceback

        cause = error.__cause__ if isinstance(error, HookError) and error.__cause__ else error
        sys.stderr.write("".join(traceback.format_exception(type(cause), cause,
                                                            cause.__traceback__)))

    # -- lookup ------------------------------------------------------------

    def usable(self) -> list:
        return [r for r in self.records if not r["error"]]

    def implementers(self, hook: str) -> list:
        return [r for r in self.records if hook in r["hooks"] and not r["error"]]

    def claims(self, kind: str) -> list:
        """All ``(plugin name, claim)`` pairs of one kind, from the index."""
        return [(r["name"], c) for r in self.usable() for c in r["claims"].get(kind, ())]

    def has_implementations(self, hook: str) -> bool:
        """Whether any usable plugin implements ``hook`` (no plugin imported)."""
        return bool(self._ordered(hook))

    # -- loading -----------------------------------------------------------

    @property
    def pm(self):
        """The pluggy manager with every usable plugin registered (built on
        first use: it imports pluggy and every plugin)."""
        if self._pm is None:
            import pluggy

            from . import hookspecs

            pm = pluggy.PluginManager("zr")
            pm.add_hookspecs(hookspecs)
            # Historic: every plugin registered from now on gets the call too.
            pm.hook.zr_addhooks.call_historic(kwargs={"pluginmanager": pm})
            self._pm = pm
            for record in self.usable():
                module = self.load(record)
                if module is not None and not pm.is_registered(module):
                    pm.register(module, name=record["name"])
        return self._pm

    def load(self, record: dict):
        """Import one plugin; None (and reported) if it fails."""
        name = record["name"]
        if name in self._loaded:
            return self._loaded[name]
        try:
            module = _import(record["module"])
            if self._pm is not None:
                self._pm.register(module, name=name)
        except Exception as exc:  # a broken plugin must not break zr
            self._loaded[name] = None
            record["error"] = _describe(exc)
            self._report(record, record["error"])
            return None
        self._loaded[name] = module
        return module

    def load_all(self):
        """Import every plugin; the pluggy manager with all of them registered."""
        return self.pm

    def _ordered(self, hook: str) -> list:
        """``(record, impl options)`` in the order pluggy would call them."""
        order = self._order.get(hook)
        if order is None:
            impls = [(r, r["impls"][hook]) for r in self.implementers(hook)]
            groups = ([i for i in impls if i[1]["tryfirst"]],
                      [i for i in impls if not i[1]["tryfirst"] and not i[1]["trylast"]],
                      [i for i in impls if i[1]["trylast"]])
            order = [i for group in groups for i in reversed(group)]
            self._order[hook] = order
        return order

    # -- calling -----------------------------------------------------------

    def call(self, hook: str, **kwargs):
        """Call ``hook`` as its spec says: a ``firstresult`` hook returns the
        first non-None result (or None), any other the list of non-None
        results. An implementation that raises a :class:`ZrError` passes it
        on (a message for the user); anything else becomes a
        :class:`HookError` naming the plugin, except in an observer hook,
        where it is a warning and the other implementations still run."""
        calls = self._calls.get(hook, False)
        if calls is False:
            if hook not in self.specs:
                raise PluginError(f"no plugin declares the hook '{hook}'"
                                  + did_you_mean(hook, self.specs))
            calls = self._callables(hook)
        spec = self.specs[hook]
        first = spec["firstresult"]
        if calls is None:
            for record, _ in self._ordered(hook):
                self.load(record)
            return getattr(self.pm.hook, hook)(**kwargs)
        results = []
        given = len(kwargs)
        for record, function, args in calls:
            try:
                # Most implementations take every argument of the hook: pass
                # them on as they are (the scheduler calls hooks per task).
                result = (function(**kwargs) if len(args) == given
                          else function(**{name: kwargs[name] for name in args}))
            except Exception as exc:
                if not spec["observer"] or (isinstance(exc, ZrError)
                                            and spec.get("may_refuse")):
                    if isinstance(exc, ZrError):
                        raise
                    raise HookError(record, hook, exc) from exc
                error = HookError(record, hook, exc)
                error.__cause__ = exc
                self._warn(f"{error}; nothing else changes")
                self.show_traceback(error)
                continue
            if result is not None:
                if first:
                    return result
                results.append(result)
        return None if first else results

    def _callables(self, hook: str):
        """``[(record, function, argument names)]`` of ``hook`` in call order,
        the plugins imported; None when a wrapper needs pluggy. Resolved once
        per hook: the scheduler calls several hooks per task."""
        calls = self._calls.get(hook, False)
        if calls is False:
            order = self._ordered(hook)
            if any(opts["wrapper"] for _, opts in order):
                calls = None
            else:
                calls = []
                for record, opts in order:
                    module = self.load(record)
                    if module is not None:
                        calls.append((record, getattr(module, opts["function"]), opts["args"]))
            self._calls[hook] = calls
        return calls

    def call_each(self, hook: str, target, **kwargs) -> None:
        """Call each implementation separately with ``target.owner`` set to
        the plugin's name, so registries know who claims what. Called in
        index order, so the first claimant is the earlier-registered plugin."""
        for record in self.implementers(hook):
            opts = record["impls"][hook]
            module = self.load(record)
            if module is None:
                continue
            target.owner = record["name"]
            function = getattr(module, opts["function"])
            try:
                function(**{name: kwargs[name] for name in opts["args"]})
            except ZrError:
                raise
            except Exception as exc:
                raise HookError(record, hook, exc) from exc

    def config_registry(self):
        """The registry of every claimed section, field and setting."""
        if self._registry is None:
            from .config.registry import ConfigRegistry

            registry = ConfigRegistry()
            self.call_each("zr_config_sections", registry, registry=registry)
            self._registry = registry
        return self._registry

    def option_specs(self) -> list:
        """Core options plus those plugins add, without importing plugins."""
        from .options import CORE_OPTIONS, OptionSpec

        return CORE_OPTIONS + [OptionSpec.from_dict(spec) for _, spec in self.claims("options")]


def unknown_hooks(record: dict, specs: dict):
    """Why ``record``'s plugin must be refused, or None: it implements a hook
    no spec declares (not marked ``optionalhook``), or asks for an argument
    the hook does not pass."""
    for hook, opts in record["impls"].items():
        spec = specs.get(hook)
        if spec is None:
            if opts.get("optional"):
                continue
            return (f"it implements '{hook}', which is not a zr hook"
                    + (did_you_mean(hook, specs) or
                       " (docs/hooks.md lists the hooks; mark a hook of an optional plugin "
                       "with @hookimpl(optionalhook=True))"))
        extra = [a for a in opts["args"] if a not in spec["args"]]
        if extra:
            return (f"its {opts['function']}() asks for {', '.join(map(repr, extra))}, which "
                    f"{hook} does not pass (it passes {', '.join(spec['args']) or 'nothing'})")
    return None


def _missing_requirements(dist, error: str) -> list:
    """The distributions ``dist`` requires that are not installed, when its
    import failed for a missing module (a plugin whose base plugin was
    removed); read from its metadata on this failure path only."""
    if not dist or not error.startswith(("ModuleNotFoundError", "ImportError")):
        return []
    from importlib.metadata import PackageNotFoundError, distribution, requires

    try:
        from packaging.requirements import Requirement

        lines = requires(dist) or []
    except (ImportError, PackageNotFoundError):
        return []
    missing = []
    for line in lines:
        try:
            req = Requirement(line)
        except ValueError:
            continue
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        try:
            distribution(req.name)
        except PackageNotFoundError:
            missing.append(req.name)
    return missing


def _local_plugin_dir():
    """The ``.zr/plugins`` directory beside the nearest ``zr.toml`` upwards,
    or None: the walk ``find_config`` does (one ``isfile`` in a project's
    root) and one ``stat``; nothing is imported."""
    try:
        directory = os.getcwd()
    except OSError:
        return None
    while not os.path.isfile(os.path.join(directory, "zr.toml")):
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent
    local = os.path.join(directory, ".zr", "plugins")
    return local if os.path.isdir(local) else None


def _stderr_warning(message: str) -> None:
    sys.stderr.write(f"zr: warning: {message}\n")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}".rstrip(": ")


def _import(target: str):
    """The plugin object an entry point names: ``module`` or ``module:attr``."""
    import importlib

    if target.startswith("file:"):  # a project-local plugin: .zr/plugins/NAME.py
        from .local_plugins import import_file

        return import_file(target[len("file:"):])
    module_name, _, attr = target.partition(":")
    obj = importlib.import_module(module_name)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


# -- the index --------------------------------------------------------------


def _index_path() -> str:
    digest = "%08x" % zlib.crc32((sys.executable + "\0" + sys.prefix).encode())
    return os.path.join(cache_dir(), "plugins", f"index-{digest}.marshal")


def _mtime(path: str):
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _environment_key() -> list:
    """What changes when distributions are installed or removed."""
    return [(p, _mtime(p)) for p in sys.path[1:] if p]


def load_index() -> tuple:
    """``(kernel hook specs, plugin records)`` from the cached index, rebuilt
    when stale."""
    path = _index_path()
    key = _environment_key()
    try:
        with open(path, "rb") as fh:
            fmt, version, cached_key, specs, records = marshal.load(fh)
        if (fmt == _INDEX_FORMAT and version == __version__ and cached_key == key
                and all(_mtime(r["file"]) == r["file_mtime"] for r in records if r["file"])):
            return specs, records
    except (OSError, ValueError, EOFError, TypeError):
        pass
    specs, records = kernel_specs(), build_index()
    try:
        atomic_write(path, marshal.dumps((_INDEX_FORMAT, __version__, key, specs, records)))
    except OSError:
        pass
    return specs, records


def kernel_specs() -> dict:
    """Every hook :mod:`zr.hookspecs` declares, described by :func:`describe_specs`."""
    from . import hookspecs

    specs = describe_specs(hookspecs, observers=hookspecs.OBSERVERS)
    for name in hookspecs.MAY_REFUSE:
        specs[name]["may_refuse"] = True
    return specs


def describe_specs(namespace, observers=frozenset()) -> dict:
    """Hook name -> ``{firstresult, historic, observer, args}`` for each
    hookspec of a module or class (what pluggy's ``add_hookspecs`` reads);
    ``may_refuse`` is added for the observers a ZrError may stop."""
    specs = {}
    for name in dir(namespace):
        function = getattr(namespace, name, None)
        opts = getattr(function, "zr_spec", None)
        if not isinstance(opts, dict):
            continue
        specs[name] = {"firstresult": bool(opts.get("firstresult")),
                       "historic": bool(opts.get("historic")),
                       "observer": name in observers,
                       "args": _argnames(function, required_only=False)}
    return specs


def _zr_core_mismatch(dist, name: str):
    """Why ``dist``'s own zr-core requirement excludes this zr-core, or None.

    Such a plugin was written against another kernel: it is not imported
    (``pip install -U zr-core`` only warns and leaves old plugins behind).
    """
    if dist is None:
        return None
    try:
        from packaging.requirements import Requirement
    except ImportError:  # without packaging, trust the plugin
        return None
    for line in dist.requires or ():
        try:
            req = Requirement(line)
        except ValueError:
            continue
        if req.name.lower().replace("_", "-") != "zr-core":
            continue
        if req.marker and not req.marker.evaluate({"extra": ""}):
            continue
        if not req.specifier.contains(__version__, prereleases=True):
            return (f"it requires zr-core{req.specifier} and this is zr-core {__version__}; "
                    f"update it (`zr plugin update {name}`) or install a zr-core it supports")
    return None


def _entry_points() -> list:
    """``(name, module, dist, version, refusal)`` for the built-ins and every
    entry point; ``refusal`` says why a plugin must not be imported."""
    found = [(name, module, "zr-core", __version__, None) for name, module in BUILTIN_PLUGINS]
    from importlib.metadata import entry_points

    try:
        eps = entry_points(group=ENTRY_POINT_GROUP)
    except TypeError:  # Python < 3.10
        eps = entry_points().get(ENTRY_POINT_GROUP, [])
    seen = {name for name, *_ in found}
    for ep in sorted(eps, key=lambda e: e.name):
        if ep.name in seen:
            continue
        seen.add(ep.name)
        dist = getattr(ep, "dist", None)
        found.append((ep.name, ep.value.replace(" ", ""), dist.name if dist else None,
                      dist.version if dist else None, _zr_core_mismatch(dist, ep.name)))
    return found


def build_index() -> list:
    """Import every plugin once and record what it implements and claims."""
    return [make_record(*entry) for entry in _entry_points()]


def make_record(name: str, module_name: str, dist, version, refusal=None) -> dict:
    """Import one plugin module and describe it; import errors are recorded.
    With a ``refusal`` the module is not imported and the refusal is its error."""
    record = {"name": name, "module": module_name, "dist": dist, "version": version,
              "hooks": [], "impls": {}, "claims": {}, "file": None, "file_mtime": None,
              "error": refusal, "builtin": dist == "zr-core", "added_specs": {},
              "spec_modules": []}
    if refusal:
        return record
    try:
        module = _import(module_name)
        source = sys.modules.get(getattr(module, "__module__", None) or "") \
            if not hasattr(module, "__file__") else module
        record["file"] = getattr(source, "__file__", None)
        record["file_mtime"] = _mtime(record["file"]) if record["file"] else None
        record["impls"] = _describe_impls(module)
        record["hooks"] = sorted(record["impls"])
        if "zr_addhooks" in record["impls"]:
            recorder = _SpecRecorder()
            _impl(module, record, "zr_addhooks")(pluginmanager=recorder)
            record["added_specs"] = recorder.specs
            record["spec_modules"] = recorder.sources
        record["claims"] = _record_claims(module, record)
    except Exception as exc:  # reported by the host, once per invocation
        record["error"] = _describe(exc)
    return record


def _impl(module, record: dict, hook: str):
    """The function of ``module`` implementing ``hook`` (``specname`` honoured)."""
    return getattr(module, record["impls"][hook]["function"])


def _describe_impls(module) -> dict:
    """Hook name -> how to call the module's implementation of it."""
    impls = {}
    for attr in dir(module):
        func = getattr(module, attr, None)
        opts = getattr(func, "zr_impl", None)
        if not isinstance(opts, dict):
            continue
        hook = opts.get("specname") or attr
        if not hook.startswith("zr_"):
            continue
        impls[hook] = {"function": attr, "args": _argnames(func),
                       "tryfirst": bool(opts.get("tryfirst")),
                       "trylast": bool(opts.get("trylast")),
                       "optional": bool(opts.get("optionalhook")),
                       "wrapper": bool(opts.get("wrapper") or opts.get("hookwrapper"))}
    return impls


def _argnames(func, required_only: bool = True) -> list:
    """The arguments a hook implementation asks for (pluggy passes exactly
    those): its parameters without defaults, ``self`` excluded; with
    ``required_only=False`` every parameter (a spec's)."""
    import inspect

    return [name for name, param in inspect.signature(func).parameters.items()
            if (param.default is param.empty or not required_only) and name != "self"
            and param.kind in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY)]


class _SpecRecorder:
    """Stands in for the pluggy manager while indexing: records the hooks a
    plugin adds with ``zr_addhooks`` so that later runs know them unimported."""

    def __init__(self):
        self.specs: dict = {}
        self.sources: list = []

    def add_hookspecs(self, namespace) -> None:
        self.specs.update(describe_specs(namespace))
        self.sources.append(getattr(namespace, "__name__", repr(namespace)))


def _record_claims(module, record: dict) -> dict:
    """Ask a plugin what it claims, so later runs need not import it to know."""
    claims: dict = {}
    hooks = record["impls"]
    if "zr_config_sections" in hooks:
        from .config.registry import ConfigRegistry

        registry = ConfigRegistry()
        registry.owner = record["name"]
        _impl(module, record, "zr_config_sections")(registry=registry)
        claims["sections"] = sorted(registry.sections)
        claims["task_fields"] = sorted(registry.task_fields)
        claims["settings"] = sorted(registry.settings)
    if "zr_options" in hooks:
        from .options import OptionRegistry

        options = OptionRegistry()
        _impl(module, record, "zr_options")(registry=options)
        claims["options"] = [spec.to_dict() for spec in options.specs]
    if "zr_cli_commands" in hooks:
        recorder = _CommandRecorder()
        _impl(module, record, "zr_cli_commands")(cli=recorder)
        claims["commands"] = recorder.names
    return claims


class _CommandRecorder:
    """Stands in for the click group while indexing: records command names."""

    def __init__(self):
        self.names: list = []

    def add_command(self, cmd, name=None) -> None:
        self.names.append(name or cmd.name)

    def command(self, *args, **kwargs):  # pragma: no cover - decorator style
        def decorate(func):
            import click

            cmd = click.command(*args, **kwargs)(func)
            self.add_command(cmd)
            return cmd
        return decorate

    group = command
