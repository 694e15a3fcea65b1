"""Errors of the toolchains plugin that callers tell apart (a module of
their own, so telling them apart imports nothing heavy)."""

from __future__ import annotations

from zr.api import ZrError


class NoSuchVersion(ZrError):
    """No release in the index matches a spec: the project asks for what
    cannot exist, so a run refuses to start (exit 2) rather than failing
    each task that needs it."""
