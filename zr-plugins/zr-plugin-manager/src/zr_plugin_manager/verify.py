"""Prove that freshly installed plugins load, in a fresh zr process.

The proof is what a user would get next: a new ``zr plugins --json`` in the
same interpreter rebuilds the plugin index (site-packages changed), imports
every plugin and records what each claims. The installed distribution must
appear there with no error, need a zr-core that is this one, and claim no
section, task field, setting or command another plugin already claims.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .installed import compatibility
from .names import normalize

# Claims that must be unique across plugins (the kernel refuses duplicates).
_UNIQUE_CLAIMS = (("sections", "the section [{}]"), ("task_fields", "the task field '{}'"),
                  ("settings", "the setting '{}'"), ("commands", "the command '{}'"))


def plugin_rows() -> list:
    """The rows of ``zr plugins --json`` from a new process, or a ZrError."""
    from zr.errors import ZrError

    env = dict(os.environ)
    env.pop("ZR_STRICT_PLUGINS", None)
    env.pop("ZR_DISABLE_PLUGINS", None)
    proc = subprocess.run([sys.executable, "-m", "zr", "plugins", "--json"], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    try:
        rows = json.loads(proc.stdout)
        if proc.returncode == 0 and isinstance(rows, list):
            return rows
    except ValueError:
        pass
    last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise ZrError(f"zr itself no longer starts after the install (`zr plugins` exited "
                  f"{proc.returncode}: {last})")


def problems(distributions: list, installed: dict, rows: list) -> list:
    """What is wrong with each newly installed plugin distribution (empty: all good)."""
    found = []
    for name in distributions:
        dist = installed.get(name)
        mine = [row for row in rows if normalize(row["distribution"] or "") == name]
        if not mine:
            found.append(f"{name} registers no zr plugin (its metadata has no entry point "
                         "in the group 'zr'), so it would add nothing to zr")
            continue
        for row in mine:
            if row["error"]:
                found.append(f"plugin '{row['name']}' from {name} fails to load: "
                              f"{row['error']}")
        ok, explanation = compatibility(dist.requires_zr if dist else None)
        if not ok:
            found.append(f"{name} {dist.version} needs {explanation}")
        found.extend(_clashes(mine, [row for row in rows if row not in mine]))
    return found


def _clashes(mine: list, others: list) -> list:
    found = []
    for kind, shown in _UNIQUE_CLAIMS:
        owners = {claim: row["name"] for row in others for claim in row.get(kind, ())}
        for row in mine:
            for claim in row.get(kind, ()):
                if claim in owners:
                    found.append(f"plugin '{row['name']}' claims {shown.format(claim)}, which "
                                 f"plugin '{owners[claim]}' already claims")
    return found
