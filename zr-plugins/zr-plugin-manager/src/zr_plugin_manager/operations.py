"""``zr plugin install``, ``remove`` and ``update``: from what the user typed
to installer runs (see :mod:`.transaction` for verification and rollback)."""

from __future__ import annotations

from zr.errors import UsageError, ZrError

from .environment import TargetEnvironment
from .installed import compatibility, snapshot
from .names import InstallArgument, classify, distribution_name, normalize
from .transaction import Transaction


def _installer(system: bool):
    env = TargetEnvironment.current()
    if not system:
        env.refuse_system()
    return env.installer()


# -- install ------------------------------------------------------------------


def install(arguments: list, *, project, index_loader, system=False, no_deps=False,
            editable=False, upgrade=False, say=print, echo=print) -> int:
    """Install plugins given by name, path or URL (and, with ``project``
    set, the project's unmet ``[plugins] required``)."""
    installer = _installer(system)  # refuse a system Python before anything else
    given = [classify(arg) for arg in arguments]
    if editable and any(argument.kind != "path" for argument in given):
        raise UsageError("-e/--editable installs local project directories only; "
                         "give a PATH, or drop -e")
    resolved = [resolve(argument, index_loader, say) for argument in given]
    if project is not None:
        resolved += [resolve(argument, index_loader, say)
                     for argument in required_arguments(project, say)]
        if not resolved:
            echo(f"every plugin {project.shown} requires is installed")
            return 0
    if not resolved:
        raise UsageError("name what to install: `zr plugin install NAME|PATH|git+URL[@ref]`, "
                         "or --required for the plugins zr.toml requires")
    transaction = Transaction(installer, say)
    targets = [argument.target for argument in resolved]
    expected = [argument.distribution for argument in resolved if argument.distribution]
    outcomes = transaction.apply(targets, expected=expected, no_deps=no_deps,
                                 editable=editable, upgrade=upgrade,
                                 what=" ".join(a.target if a.kind == "requirement" else a.given
                                              for a in resolved))
    _check_versions(resolved, outcomes, transaction)
    for outcome in outcomes:
        echo(outcome.describe())
    return 0


def resolve(argument: InstallArgument, index_loader, say) -> InstallArgument:
    """A requirement the plugin index knows is installed as the index says
    (its ``install`` may be a git URL) and refused early when the index
    says it needs another zr-core."""
    if argument.kind != "requirement":
        return argument
    try:
        entries = index_loader()
    except ZrError as exc:
        say(f"warning: {exc}; installing {argument.target} from the package index")
        return argument
    from .registry_index import find_entry

    entry = find_entry(entries, argument.name)
    if entry is None:
        return argument
    ok, explanation = compatibility(entry.requires_zr)
    if not ok:
        example = (f", e.g. `zr plugin install '{entry.name}<{entry.version}'`"
                   if entry.version else "")
        raise ZrError(f"{f'{entry.name} {entry.version}'.rstrip()} needs {explanation} "
                      f"(says the plugin index); install a version made for this "
                      f"zr{example}, or upgrade zr")
    target = entry.install_target
    if argument.specifier and _is_plain_name(target):
        target += argument.specifier  # the user's version range still applies
    kind = "requirement" if _is_plain_requirement(target) else "url"
    return InstallArgument(argument.given, kind, target, normalize(entry.name),
                           argument.specifier)


def _is_plain_requirement(text: str) -> bool:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return not Requirement(text).url
    except InvalidRequirement:
        return False


def _is_plain_name(text: str) -> bool:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return False
    return not requirement.url and not str(requirement.specifier)


def required_arguments(project, say) -> list:
    """Install arguments for the project's ``[plugins] required`` not yet met."""
    from .requirements import parse_required, unmet

    try:
        required = parse_required(project.required)
    except ValueError as exc:
        from zr.api import find_line
        from zr.errors import ConfigError

        raise ConfigError(str(exc), file=project.shown, key="plugins.required",
                          line=find_line(project.text, ["plugins", "required"])) from None
    arguments = []
    for plugin, reason in unmet(required):
        say(f"{project.shown} requires {plugin.install_spec} ({reason})")
        arguments.append(InstallArgument(plugin.text, "requirement", plugin.install_spec,
                                         plugin.distribution, str(plugin.specifier),
                                         plugin.distribution))
    return arguments


def _check_versions(resolved: list, outcomes: list, transaction) -> None:
    """A version range given with a URL install is checked after the fact."""
    from packaging.specifiers import SpecifierSet

    by_name = {o.dist.name: o for o in outcomes}
    for argument in resolved:
        outcome = by_name.get(argument.distribution or "")
        if argument.kind == "requirement" or not argument.specifier or outcome is None:
            continue
        if not SpecifierSet(argument.specifier).contains(outcome.dist.version,
                                                         prereleases=True):
            raise ZrError(f"{argument.target} installed {outcome.dist.name} "
                          f"{outcome.dist.version}, which is not {argument.specifier} as "
                          "asked; the plugin index points at an older or newer source")


# -- remove -------------------------------------------------------------------


def remove(names: list, *, records: list, project_required: list, system=False,
           say=print, echo=print) -> int:
    """Uninstall plugin distributions named by plugin or distribution name."""
    installer = _installer(system)
    installed = snapshot()
    dists = []
    for name in names:
        dist = plugin_distribution(name, records, installed)
        if dist not in dists:
            dists.append(dist)
    for dist, dependents in dependents_of(dists, installed).items():
        names = ", ".join(dependents)
        say(f"warning: {names} {'depends' if len(dependents) == 1 else 'depend'} on {dist}: "
            f"without it {'it' if len(dependents) == 1 else 'they'} will fail to load until "
            f"{dist} is installed again (`zr plugin install {dist}`), or remove "
            f"{'it' if len(dependents) == 1 else 'them'} too")
    say(f"removing {', '.join(dists)} from {installer.env.python}")
    proc = installer.run(installer.uninstall_argv(dists))
    if proc.returncode != 0:
        from .environment import output_tail

        for line in output_tail(proc):
            say(f"  {installer.kind}: {line}")
        raise ZrError(f"could not remove {', '.join(dists)}: {installer.kind} failed "
                      f"(exit {proc.returncode}; its last lines are above)")
    for dist in dists:
        plugins = [r["name"] for r in records if normalize(r["dist"] or "") == dist]
        shown = f" (plugin {', '.join(repr(p) for p in plugins)})" if plugins else ""
        echo(f"removed {installed[dist].display_name} {installed[dist].version}{shown}")
    from .requirements import parse_required

    try:
        needed = {plugin.distribution for plugin in parse_required(project_required)}
    except ValueError:
        needed = set()
    for dist in dists:
        if dist in needed:
            say(f"note: zr.toml still lists {dist} in [plugins] required, so this project "
                "will not load until it is installed again")
    return 0


def dependents_of(dists: list, installed: dict) -> dict:
    """``{dist: [installed plugin distributions that require it]}`` for the
    distributions about to be removed (those removed with them left out)."""
    found: dict = {}
    for other in installed.values():
        if other.name in dists or not other.plugins:
            continue
        for needed in other.required_names():
            if needed in dists:
                found.setdefault(needed, []).append(other.display_name)
    return found


def plugin_distribution(name: str, records: list, installed: dict) -> str:
    """The installed distribution meant by a plugin or distribution name."""
    wanted = {normalize(name), distribution_name(name)}
    for record in records:
        dist = normalize(record["dist"] or "")
        if record["name"] == name or dist in wanted:
            if record["builtin"]:
                raise UsageError(f"'{name}' is part of zr-core itself and cannot be removed; "
                                 "disable a plugin with ZR_DISABLE_PLUGINS=name instead")
            return dist
    for dist in wanted:
        if dist in installed and installed[dist].plugins:
            return dist
    from zr.errors import did_you_mean

    choices = [r["name"] for r in records if not r["builtin"]]
    raise UsageError(f"no installed plugin is called '{name}'{did_you_mean(name, choices)}; "
                     "`zr plugin list` shows what is installed")


# -- update -------------------------------------------------------------------


def update(names: list, *, records: list, index_loader=None, system=False, no_deps=False,
           say=print, echo=print) -> int:
    """Update plugins from where each came from: a newer plugin-index entry
    first, else the package index (newest allowed), its path (rebuilt) or
    its git ref (fetched again). zr-core itself is never touched."""
    installer = _installer(system)
    installed = snapshot()
    if names:
        dists = [plugin_distribution(name, records, installed) for name in names]
    else:
        dists = sorted({normalize(r["dist"]) for r in records
                        if r["dist"] and not r["builtin"]} & set(installed))
    if not dists:
        echo("no plugins to update (only zr-core's own are installed)")
        return 0
    entries = _index_entries(index_loader, say) if index_loader else []
    plan = [update_source(installed[dist], entries) for dist in dists]
    for source in plan:
        if source.note:
            (say if source.target is None and source.warn else echo)(source.note)
    plan = [source for source in plan if source.target is not None]
    if not plan:
        return 0
    transaction = Transaction(installer, say)
    outcomes = transaction.apply([s.target for s in plan], expected=[s.dist for s in plan],
                                 upgrade_packages=[s.dist for s in plan if s.upgrade],
                                 reinstall=[s.dist for s in plan if s.reinstall],
                                 no_deps=no_deps, what=", ".join(s.dist for s in plan),
                                 verb="updating")
    for outcome in outcomes:
        if outcome.previous_version == outcome.dist.version:
            echo(f"{outcome.dist.display_name} {outcome.dist.version}: already newest "
                 f"(from {outcome.dist.origin.description})")
        else:
            echo(outcome.describe())
    return 0


class UpdateSource:
    """What updating one distribution installs, and how."""

    def __init__(self, dist: str, target=None, *, upgrade=False, reinstall=False, note="",
                 warn=False):
        self.dist = dist
        self.target = target
        self.upgrade = upgrade
        self.reinstall = reinstall
        self.note = note
        self.warn = warn


def update_source(dist, entries: list) -> UpdateSource:
    """Where ``dist`` (an InstalledDistribution) updates from."""
    from .registry_index import find_entry, newer

    entry = find_entry(entries, dist.name)
    if entry is not None and newer(entry.version, dist.version):
        target = entry.install_target
        if _is_plain_name(target):  # a package-index name: the entry's version
            return UpdateSource(dist.name, f"{target}=={entry.version}", upgrade=True)
        return UpdateSource(dist.name, target, reinstall=True)
    origin = dist.origin
    if origin.editable:
        return UpdateSource(dist.name, note=f"{dist.name} is installed editable from "
                                            f"{origin.spec}: it is always up to date")
    if origin.kind == "path" and not _exists(origin.spec):
        return UpdateSource(dist.name, warn=True,
                            note=f"warning: skipping {dist.name}: it was installed from "
                                 f"{origin.spec}, which no longer exists")
    if origin.kind == "index":
        return UpdateSource(dist.name, dist.name, upgrade=True)
    return UpdateSource(dist.name, origin.spec, reinstall=True)


def _index_entries(index_loader, say) -> list:
    """The plugin index's entries; an unreachable index is a warning here
    (updates from where each plugin came still work)."""
    try:
        return index_loader()
    except ZrError as exc:
        say(f"warning: {exc}; updating from where each plugin was installed")
        return []


def _exists(path: str) -> bool:
    import os

    return os.path.exists(path)
