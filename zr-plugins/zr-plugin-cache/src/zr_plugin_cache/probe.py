"""``zr cache remote check``: prove a remote works with a probe entry.

The probe goes through the backend's own ``put``, ``get`` and ``delete``,
the calls a run makes, so it fails where a run would (credentials, a
missing bucket, a proxy in the way, a signing key the server mangles)
but says so plainly instead of as one warning in a build.

A backend without ``delete`` (the Turborepo API has none) is probed with
``put`` and ``get`` under one fixed key, so repeated checks overwrite a
single small entry instead of leaving one behind each time.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import tempfile

PROBE_CONTENT = b"zr remote cache check: this entry can be deleted\n"
#: The key of the probe entry on backends that cannot delete it.
LASTING_PROBE_KEY = hashlib.sha256(b"zr remote cache check").hexdigest()


def can_delete(backend) -> bool:
    return callable(getattr(backend, "delete", None))


def check(backend) -> list:
    """The problems of ``backend``: its own ``check()`` when it has one,
    else :func:`probe`. Each is one sentence; [] when all works."""
    own = getattr(backend, "check", None)
    return own() if callable(own) else probe(backend)


def probe(backend, *, name=None) -> list:
    """Write a probe entry, read it back and delete it (when the backend
    can); the problems found. Never raises. ``name(key)`` says where the
    entry is in messages (default: the key)."""
    key = secrets.token_hex(32) if can_delete(backend) else LASTING_PROBE_KEY
    shown = name(key) if name else f"probe entry {key}"
    with tempfile.TemporaryDirectory(prefix="zr-check-") as scratch:
        path = os.path.join(scratch, "probe")
        with open(path, "wb") as handle:
            handle.write(PROBE_CONTENT)
        try:
            backend.put(key, path)
        except Exception as error:  # the backend's fault, whatever its type
            return [f"cannot write {shown}: {_reason(error)}"]
    problems = []
    try:
        chunks = backend.get(key)
        if chunks is None:
            problems.append(f"wrote {shown} but cannot find it when reading it back")
        elif b"".join(chunks) != PROBE_CONTENT:
            problems.append(f"wrote {shown} but read back different bytes")
    except Exception as error:
        problems.append(f"wrote {shown} but cannot read it back: {_reason(error)}")
    if can_delete(backend):
        try:
            backend.delete(key)
        except Exception as error:
            problems.append(f"cannot delete {shown} (delete it by hand): {_reason(error)}")
    return problems


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__
