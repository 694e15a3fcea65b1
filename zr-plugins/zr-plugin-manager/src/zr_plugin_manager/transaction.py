"""Install, then prove, or undo: the core of install and update.

One transaction runs the installer once, compares snapshots of the
environment before and after, and checks in a fresh zr process that every
plugin distribution it touched loads, fits this zr-core and claims nothing
another plugin claims. If not, what the installer added is uninstalled and
what it replaced is reinstalled from where it came from, and the error
says why.
"""

from __future__ import annotations

import os
import tempfile

from zr.errors import ZrError

from .installed import changed, snapshot


class Outcome:
    """One plugin distribution after a successful transaction."""

    def __init__(self, dist, previous_version: str | None, rows: list, touched: bool):
        self.dist = dist
        self.previous_version = previous_version
        self.rows = rows
        self.touched = touched

    def describe(self) -> str:
        dist = self.dist
        name = f"{dist.display_name} {dist.version}"
        if not self.touched:
            head = f"already installed: {name}"
        elif self.previous_version is None:
            head = f"installed {name}"
        elif self.previous_version != dist.version:
            head = f"updated {dist.display_name} {self.previous_version} -> {dist.version}"
        else:
            head = f"reinstalled {name}"
        parts = [f"{head} from {dist.origin.description}"]
        for row in self.rows:
            parts.append(f"plugin '{row['name']}'{describe_claims(row)}")
        return "; ".join(parts)


def describe_claims(row: dict) -> str:
    adds = ([f"[{s}]" for s in row.get("sections", ())]
            + [f"tasks.*.{f}" for f in row.get("task_fields", ())]
            + [f"`zr {c}`" for c in row.get("commands", ())]
            + list(row.get("options", ())))
    return f" adds {', '.join(adds)}" if adds else ""


class Transaction:
    """Runs installs with verification and rollback in one environment."""

    def __init__(self, installer, say):
        self.installer = installer
        self.say = say

    def apply(self, targets: list, *, expected: list, upgrade=False, upgrade_packages=(),
              reinstall=(), no_deps=False, editable=False, what: str = "",
              verb: str = "installing") -> list:
        """Install ``targets``; the outcomes for the plugin distributions
        ``expected`` (known beforehand) plus any other plugin it installed."""
        what = what or " ".join(targets)
        before = snapshot()
        self.say(f"{verb} {what} in {self.installer.env.python} with "
                 f"{self.installer.kind}")
        with _zr_core_pin(before) as constraints:
            for argv in self.installer.install_argvs(
                    targets, no_deps=no_deps, upgrade=upgrade, reinstall=reinstall,
                    editable=editable, constraints=constraints,
                    upgrade_packages=upgrade_packages):
                proc = self.installer.run(argv)
                if proc.returncode != 0:
                    break
        after = snapshot()
        touched = changed(before, after)
        if proc.returncode != 0:
            raise self._installer_failed(proc, what, self.rollback(before, after, touched))
        candidates = sorted({n for n in expected if n in after}
                            | {n for n in touched if after[n].plugins})
        try:
            if not candidates:
                raise ZrError(f"{what} installed no zr plugin (changed: "
                              f"{', '.join(touched) or 'nothing'}); a zr plugin is a "
                              "distribution with an entry point in the group 'zr'")
            from .verify import plugin_rows, problems

            rows = plugin_rows()
            found = problems(candidates, after, rows)
            if found:
                raise ZrError("; ".join(found))
        except ZrError as exc:
            undone = self.rollback(before, after, touched)
            raise ZrError(f"could not install {what}: {exc}. {undone}") from None
        return [self._outcome(name, before, after, rows, name in touched)
                for name in candidates]

    def _outcome(self, name, before, after, rows, touched) -> Outcome:
        from .names import normalize

        previous = before[name].version if name in before else None
        mine = [row for row in rows if normalize(row["distribution"] or "") == name]
        return Outcome(after[name], previous, mine, touched)

    def rollback(self, before: dict, after: dict, touched: list) -> str:
        """Undo an install; says what was undone (or what could not be)."""
        added = [n for n in touched if n not in before]
        replaced = [n for n in touched if n in before]
        done, failed = [], []
        if added:
            proc = self.installer.run(self.installer.uninstall_argv(added))
            (done if proc.returncode == 0 else failed).append(f"removed {', '.join(added)}")
        for name in replaced:
            old = before[name]
            argv = self.installer.install_argv([old.origin.spec], no_deps=True,
                                               reinstall=[name], editable=old.origin.editable)
            proc = self.installer.run(argv)
            (done if proc.returncode == 0 else failed).append(
                f"restored {name} {old.version}" if proc.returncode == 0 else
                f"restore {name} {old.version} (`zr plugin install {old.origin.spec}`)")
        if failed:
            return (f"Rolling back partly failed: could not {'; '.join(failed)}"
                    + (f" (did {'; '.join(done)})" if done else ""))
        if done:
            return f"Rolled back: {'; '.join(done)}"
        return "Nothing was changed"

    def _installer_failed(self, proc, what: str, undone: str) -> ZrError:
        from .environment import output_tail

        tail = output_tail(proc)
        for line in tail:
            self.say(f"  {self.installer.kind}: {line}")
        hint = zr_core_hint("\n".join(tail))
        return ZrError(f"could not install {what}: {self.installer.kind} failed (exit "
                       f"{proc.returncode}; its last lines are above).{hint} {undone}")


def zr_core_hint(output: str) -> str:
    """What an installer's failure says about zr-core, in a sentence: blame
    the plugin's zr-core range only when it really excludes this zr."""
    import re

    from zr import __version__

    if "zr-core" not in output:
        return ""
    ranges = re.findall(r"depends on zr-core\s*([^\s,;]+(?:\s+and\s+[^\s,;]+)*)", output)
    if ranges:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            fits = all(SpecifierSet(r.replace(" and ", ",")).contains(__version__,
                                                                     prereleases=True)
                       for r in ranges)
        except InvalidSpecifier:
            fits = False
        if fits:
            return (f" The plugin accepts this zr-core ({__version__}), but the installer "
                    "tried to fetch zr-core again and could not; zr-core stays as it is")
    return (f" It needs a zr-core other than this one ({__version__}): look for a version "
            "of the plugin made for this zr, or upgrade zr")


class _zr_core_pin:
    """A constraints file holding zr-core at the installed version, so that
    installing a plugin never swaps the kernel that is running it."""

    def __init__(self, installed: dict):
        self.version = installed["zr-core"].version if "zr-core" in installed else None
        self.path = None

    def __enter__(self):
        if self.version is None:
            return None
        fd, self.path = tempfile.mkstemp(prefix="zr-core-pin-", suffix=".txt")
        with os.fdopen(fd, "w") as fh:
            fh.write(f"zr-core=={self.version}\n")
        return self.path

    def __exit__(self, *exc):
        if self.path:
            os.unlink(self.path)
