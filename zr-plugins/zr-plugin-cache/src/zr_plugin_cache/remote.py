"""The protocol every remote cache backend implements.

A backend is registered by a plugin through the ``zr_cache_backends`` hook::

    from zr import hookimpl

    @hookimpl
    def zr_cache_backends(register):
        register("s3", make_s3_backend)   # [cache.remote] type = "s3"

    def make_s3_backend(settings, project_root):
        import boto3                      # heavy SDKs: import here, never at module top
        return S3Backend(settings, boto3.client("s3"))

``settings`` is the ``[cache.remote]`` table as a dict (every key the user
wrote, so a backend can read its own: ``bucket``, ``region``, ...), plus
these, filled in by the cache plugin:

- ``timeout``: seconds any single network operation may take (default 10).
  A backend must never block longer: pass it to every connect and read.
- ``token``: the value of the environment variable named by ``token_env``,
  or None. Secrets never come from zr.toml itself.
- ``signing_key``: bytes from the variable named by ``[cache]
  signing_key_env``, or None. When set, sign what you store with
  :func:`zr_plugin_cache.signing.artifact_tag`, keep the tag beside the
  object (object metadata, a header), and wrap what ``get`` returns in
  :func:`zr_plugin_cache.signing.verified_chunks`.

A factory raises :class:`BackendConfigError` for settings it cannot use (a
missing ``url``); the user sees its message and zr stops with exit 2.

Faults are reported by raising :class:`RemoteError` (or letting any other
exception escape: the cache plugin treats every exception from a backend as
a fault). A fault never fails a build: zr warns once per run, stops using
the remote for the rest of that run, and runs the task locally.
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Iterable, Iterator, Optional, Protocol

from zr.errors import ConfigError

DEFAULT_TIMEOUT = 10.0
#: Slowest average transfer rate (bytes/s) worth waiting for: a download
#: slower than this is a fault, and uploads slower than this are abandoned
#: when the run ends (three timeouts of slack each way).
SLOWEST_RATE = 1 << 20


class RemoteError(Exception):
    """The remote failed: refused, timed out, answered an error or garbage."""


class Cancelled(RemoteError):
    """The attempt waiting for the remote was cancelled (its timeout, Ctrl-C):
    not a fault of the remote."""


class BadEntry(RemoteError):
    """The entry itself is bad (corrupt, tampered, unsigned), not the remote:
    a miss with a warning, the entry is removed from the remote where the
    backend can ``delete``, and the remote stays on for other entries."""


class SignatureError(BadEntry):
    """An entry's signature is missing or does not match: treat it as a miss."""


class BackendConfigError(ConfigError):
    """A backend cannot work with the ``[cache.remote]`` settings it was given."""

    def __init__(self, message: str):
        super().__init__(message, file="zr.toml", key="cache.remote")


class RemoteBackend(Protocol):
    """What the cache plugin needs from a remote store.

    ``key`` is 64 lowercase hex digits. Entries are opaque bytes (a
    tar); the plugin verifies and unpacks them, so a backend only moves them.

    Two methods are optional:

    ``delete(key) -> None``
        Remove the entry under ``key``; an absent entry is fine. Raises
        :class:`RemoteError`. With it, a run removes an entry that fails
        verification (:class:`BadEntry` from ``get``, or an archive that
        is not safe to restore) and ``zr cache remote check`` deletes its
        probe entry; without it, both stay (the probe under one fixed key).
    ``check() -> list[str]``
        Write a probe entry, read it back (verifying its signature when a
        signing key is set), delete it; the problems found, each one
        sentence saying what failed and why, [] when all works. Never
        raises. Without it, the check runs :func:`zr_plugin_cache.probe.probe`.
    """

    def get(self, key: str) -> Optional[Iterable[bytes]]:
        """The entry's bytes as an iterable of chunks, or None when absent.

        The iterable may raise :class:`RemoteError` while being consumed (a
        connection cut) or :class:`BadEntry` (a digest or signature that
        does not match at the end): the caller discards everything it
        received in that case.
        """

    def put(self, key: str, path) -> None:
        """Store the file at ``path`` under ``key``. Called from a
        background thread; overwriting an existing entry is fine."""

    def describe(self) -> str:
        """A short description for messages: ``http cache at https://...``."""


_cancellation = threading.local()


@contextlib.contextmanager
def cancelled_by(event: Optional[threading.Event]):
    """While active, a wait for the remote in this thread ends (raising
    :class:`Cancelled`) once ``event`` is set: a task's timeout or Ctrl-C
    stops its download at once instead of at the remote's own deadline.
    The event travels in a thread-local so that backends' ``get`` keeps
    its signature; a backend whose waits check :func:`cancel_event` (the
    HTTP client does) stops promptly, any other stops at its next chunk.
    None: nothing cancels the waits."""
    previous = getattr(_cancellation, "event", None)
    _cancellation.event = event
    try:
        yield
    finally:
        _cancellation.event = previous


def cancel_event() -> Optional[threading.Event]:
    """The event set up by :func:`cancelled_by` in this thread, or None."""
    return getattr(_cancellation, "event", None)


def wait_step(cancel) -> float:
    """How long one wait may last: short when a cancellation must be seen."""
    return 1.0 if cancel is None else 0.1


def string_setting(settings: dict, name: str, *, required: bool = False,
                   example: str = "") -> str:
    """The text of ``[cache.remote] name`` ('' when absent); a
    :class:`BackendConfigError` when it is missing but required, or not text.
    (Every load checks the table against the backend's ``spec`` first, so
    these errors reach only a backend made some other way.)"""
    value = settings.get(name)
    if value is None or value == "":
        if required:
            raise BackendConfigError(f'the {settings.get("type")} remote cache needs {example}')
        return ""
    if not isinstance(value, str):
        raise BackendConfigError(f"cache.remote.{name} must be a string, got {value!r}")
    return value


def within_deadline(chunks: Iterable[bytes], seconds: float) -> Iterator[bytes]:
    """Pass ``chunks`` through, raising :class:`RemoteError` once ``seconds``
    have passed in total: a server that trickles bytes cannot hold a run.

    The chunks are read in a daemon thread, since one read of an SDK's
    stream can block for as long as bytes keep trickling in (its timeout is
    per read); past the deadline the reader is left behind and dropped.
    """
    import queue

    deadline = time.monotonic() + seconds
    handed: queue.Queue = queue.Queue(maxsize=2)  # memory stays bounded by a few chunks
    gave_up = threading.Event()

    def read() -> None:
        try:
            for chunk in chunks:
                while not gave_up.is_set():
                    try:
                        handed.put(("chunk", chunk), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if gave_up.is_set():
                    return
            item = ("end", None)
        except BaseException as error:  # handed to the reader's thread, raised there
            item = ("error", error)
        while not gave_up.is_set():
            try:
                handed.put(item, timeout=0.5)
                return
            except queue.Full:
                continue

    threading.Thread(target=read, name="zr-cache-download", daemon=True).start()
    cancel = cancel_event()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RemoteError(f"download took longer than {seconds:g}s")
            if cancel is not None and cancel.is_set():
                raise Cancelled("cancelled")
            try:
                kind, value = handed.get(timeout=min(remaining, wait_step(cancel)))
            except queue.Empty:
                continue
            if kind == "chunk":
                yield value
            elif kind == "end":
                return
            else:
                raise value
    finally:
        gave_up.set()
