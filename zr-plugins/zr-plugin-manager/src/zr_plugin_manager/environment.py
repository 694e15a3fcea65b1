"""The environment zr runs from, and the installer that changes it.

Plugins must land where zr imports them from: the interpreter running zr
(``sys.executable``). Installing into a system Python can break the
operating system's own packages (PEP 668), so that is refused unless the
user says ``--system``. The installer is uv when available (fast, and what
this project uses), else pip of that interpreter; ``ZR_PLUGIN_INSTALLER=pip``
or ``=uv`` forces one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig

from zr.errors import ZrError

MARKER = "EXTERNALLY-MANAGED"


class TargetEnvironment:
    """The Python environment zr runs from."""

    def __init__(self, python: str, prefix: str, base_prefix: str, stdlib: str):
        self.python = python
        self.prefix = prefix
        self.base_prefix = base_prefix
        self.stdlib = stdlib

    @classmethod
    def current(cls) -> "TargetEnvironment":
        return cls(sys.executable, sys.prefix, sys.base_prefix,
                   sysconfig.get_path("stdlib") or "")

    @property
    def is_virtual(self) -> bool:
        return os.path.realpath(self.prefix) != os.path.realpath(self.base_prefix)

    @property
    def externally_managed(self) -> bool:
        """PEP 668: the distribution's package manager owns this Python."""
        return not self.is_virtual and os.path.isfile(os.path.join(self.stdlib, MARKER))

    def refuse_system(self) -> None:
        """Raise unless it is safe to install here (a virtual environment)."""
        if self.is_virtual:
            return
        managed = (", which its operating system marks as externally managed (PEP 668)"
                   if self.externally_managed else "")
        raise ZrError(
            f"zr runs from the system Python {self.python} (not a virtual environment)"
            f"{managed}; installing plugins there can break other programs. Install zr in a "
            "virtual environment and add plugins there (`python3 -m venv ~/.zr && "
            "~/.zr/bin/pip install zr-runner`, or `uv tool install zr-runner`, or `pipx "
            "install zr-runner`), or pass --system to install into this Python anyway")

    def installer(self) -> "Installer":
        return Installer.find(self)


class Installer:
    """Builds and runs uv or pip command lines for one environment."""

    def __init__(self, kind: str, argv: list, env: TargetEnvironment):
        self.kind = kind
        self._argv = argv
        self.env = env

    @classmethod
    def find(cls, env: TargetEnvironment) -> "Installer":
        forced = os.environ.get("ZR_PLUGIN_INSTALLER", "").strip().lower()
        if forced not in ("", "uv", "pip"):
            raise ZrError(f"ZR_PLUGIN_INSTALLER is '{forced}'; expected 'uv' or 'pip'")
        uv = None if forced == "pip" else _find_uv()
        if uv:
            return cls("uv", [uv, "pip"], env)
        if forced == "uv":
            raise ZrError("ZR_PLUGIN_INSTALLER=uv but uv is neither on PATH nor importable; "
                          "install it (`pip install uv`) or unset ZR_PLUGIN_INSTALLER")
        if not _has_pip(env.python):
            raise ZrError(f"neither uv nor pip is available to install into {env.python}; "
                          f"add pip with `{env.python} -m ensurepip` or install uv")
        return cls("pip", [env.python, "-m", "pip"], env)

    def _target(self) -> list:
        flags = ["--python", self.env.python] if self.kind == "uv" else []
        if self.env.externally_managed:
            flags.append("--break-system-packages")
        return flags

    def install_argv(self, targets: list, *, no_deps=False, upgrade=False, reinstall=(),
                     editable=False, constraints: str | None = None,
                     upgrade_packages=()) -> list:
        """One installer command line. ``upgrade`` upgrades everything the
        targets need; ``upgrade_packages`` only those distributions (an
        update must never re-resolve zr-core, which may have come from a
        directory no package index has)."""
        argv = self._argv + ["install"] + self._target()
        if self.kind == "pip":
            argv += ["--disable-pip-version-check", "--no-input"]
        else:
            argv.append("--compile-bytecode")  # zr's start-up time depends on .pyc files
        if no_deps:
            argv.append("--no-deps")
        if upgrade:
            argv.append("--upgrade")
        elif upgrade_packages:
            # pip's default strategy (only-if-needed) upgrades just the targets
            argv += ([w for dist in upgrade_packages for w in ("--upgrade-package", dist)]
                     if self.kind == "uv" else ["--upgrade"])
        if reinstall:  # same version, new source (a moved git tag, an edited path)
            argv += ([w for dist in reinstall for w in ("--reinstall-package", dist)]
                     if self.kind == "uv" else ["--force-reinstall"])
        if constraints:
            argv += ["-c", constraints]
        for target in targets:
            argv += ["-e", target] if editable else [target]
        return argv

    def install_argvs(self, targets: list, *, no_deps=False, reinstall=(), **options) -> list:
        """The command lines that install ``targets``, in order.

        uv reinstalls just the named distributions; pip's
        ``--force-reinstall`` would reinstall every dependency too (zr-core
        included, which fails when it came from a directory), so with pip a
        reinstall is the targets alone without dependencies, then a plain
        install that adds any new dependency."""
        if not reinstall or self.kind == "uv" or no_deps:
            return [self.install_argv(targets, no_deps=no_deps, reinstall=reinstall,
                                      **options)]
        return [self.install_argv(targets, no_deps=True, reinstall=reinstall, **options),
                self.install_argv(targets, **options)]

    def uninstall_argv(self, dists: list) -> list:
        argv = self._argv + ["uninstall"] + self._target()
        if self.kind == "pip":
            argv += ["--disable-pip-version-check", "-y"]
        return argv + list(dists)

    def run(self, argv: list) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return subprocess.run(argv, capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL)


def _find_uv() -> str | None:
    found = shutil.which("uv")
    if found:
        return found
    try:
        import uv

        return uv.find_uv_bin()
    except (ImportError, FileNotFoundError, AttributeError):
        return None


def _has_pip(python: str) -> bool:
    if python == sys.executable:
        import importlib.util

        return importlib.util.find_spec("pip") is not None
    return subprocess.run([python, "-m", "pip", "--version"], capture_output=True).returncode == 0


def output_tail(proc: subprocess.CompletedProcess, lines: int = 15) -> list:
    """The last lines an installer printed (where it says why it failed)."""
    text = ((proc.stdout or "") + "\n" + (proc.stderr or "")).splitlines()
    return [line.rstrip() for line in text if line.strip()][-lines:]
