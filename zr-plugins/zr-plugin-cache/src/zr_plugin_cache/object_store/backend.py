"""The remote-cache contract, implemented once for every object store.

A store plugin subclasses :class:`ObjectStoreBackend`, sets its ``spec``
(:mod:`.spec`), and writes five
small methods with its SDK: ``connect`` (make the client; the SDK is
imported there, never at module top), ``open`` (stream an object),
``upload`` (write one from a file, in parts), ``remove`` and ``explain``
(turn an SDK exception into one sentence a user can act on). This class
does the rest the same way for all of them:

- object names: ``{prefix}/{key}``;
- signing: with ``[cache] signing_key_env`` set, the HMAC tag of
  :mod:`zr_plugin_cache.signing` is stored as object metadata
  (``zrsignature``) and checked on every download, so a tampered or
  unsigned entry is a miss;
- faults: every SDK exception, raised by a call or while a download is
  being consumed, becomes a :class:`~zr_plugin_cache.remote.RemoteError`
  carrying the plugin's explanation; the cache plugin turns that into one
  warning and a local run;
- bounded time: a download must average at least
  :data:`~zr_plugin_cache.remote.SLOWEST_RATE`
  (plus three timeouts of slack), on top of the per-request timeouts the
  plugin gives its SDK;
- ``check()``: write, read back and delete a probe object, for
  ``zr cache remote check``.

The client is made on first use in each thread, not when the run starts: a run whose
tasks all hit the local cache never loads the SDK, and missing
credentials surface as a fault (a warning), not as a config error, so a
pull request from a fork without the secrets still builds.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Iterable, Iterator, Optional

from ..remote import (DEFAULT_TIMEOUT, SLOWEST_RATE, RemoteError, string_setting,
                      within_deadline)
from ..signing import artifact_tag, verified_chunks

#: Object metadata holding the entry's signature. Azure allows only C#
#: identifiers as metadata names, so no dash.
SIGNATURE_METADATA = "zrsignature"
#: Size of an upload part (S3 multipart, GCS resumable chunk, Azure block)
#: and of a download range: what a transfer holds in memory at a time.
PART_SIZE = 8 << 20


class Found:
    """An object being downloaded: its chunks, its size and its metadata."""

    __slots__ = ("chunks", "size", "metadata")

    def __init__(self, chunks: Iterable[bytes], size: int, metadata: Optional[dict]):
        self.chunks = chunks
        self.size = size
        self.metadata = metadata or {}


class ObjectStoreBackend:
    """A remote cache in a bucket (or container) of an object store."""

    #: The plugin's :class:`~zr_plugin_cache.object_store.spec.StoreSpec`.
    spec = None

    def __init__(self, settings: dict, project_root=None):
        """The class is the factory ``zr_cache_backends`` registers:
        ``settings`` is the ``[cache.remote]`` table plus what the cache
        plugin adds (``timeout``, ``signing_key``)."""
        bucket = self.spec.container_setting
        self.container = string_setting(settings, bucket, required=True,
                                        example=f'{bucket} = "my-zr-cache"')
        prefix = string_setting(settings, "prefix").strip("/")
        self.prefix = f"{prefix}/" if prefix else ""
        self.timeout = float(settings.get("timeout") or DEFAULT_TIMEOUT)
        self.signing_key = settings.get("signing_key")
        self._per_thread = threading.local()

    # -- what a store plugin implements ------------------------------------

    def connect(self):
        """Make the SDK client every other method uses as ``self.client``."""
        raise NotImplementedError

    def open(self, name: str) -> Optional[Found]:
        """Start downloading object ``name``; None when it does not exist."""
        raise NotImplementedError

    def upload(self, name: str, path: str, metadata: dict) -> None:
        """Write the file at ``path`` as object ``name`` with ``metadata``,
        in parts, so that no reader ever sees a partly written object."""
        raise NotImplementedError

    def remove(self, name: str) -> None:
        """Delete object ``name``; an object already gone is fine."""
        raise NotImplementedError

    def explain(self, error: Exception) -> Optional[str]:
        """What an SDK exception means for the user, or None for the default."""
        return None

    def location(self) -> str:
        """Where the store is, for :meth:`describe` (`` at http://...``), or ''."""
        return ""

    # -- the remote backend protocol ------------------------------------------

    @property
    def client(self):
        """This thread's SDK client: downloads run in the task's thread and
        uploads in the cache plugin's upload thread, and not every SDK's
        HTTP session may be shared between threads."""
        client = getattr(self._per_thread, "client", None)
        if client is None:
            client = self._per_thread.client = self.connect()
        return client

    def describe(self) -> str:
        from ..redact import mask_url

        return mask_url(f"{self.spec.kind} {self.spec.container_setting} '{self.container}'" + (
            f" prefix '{self.prefix}'" if self.prefix else "") + self.location())

    def object_name(self, key: str) -> str:
        return self.prefix + key

    def get(self, key: str) -> Optional[Iterator[bytes]]:
        with self._faults():
            found = self.open(self.object_name(key))
        if found is None:
            return None
        chunks = within_deadline(self._streamed(found.chunks),
                                 3 * self.timeout + found.size / SLOWEST_RATE)
        if self.signing_key is not None:
            chunks = verified_chunks(chunks, self.signing_key, key, "",
                                     found.metadata.get(SIGNATURE_METADATA))
        return chunks

    def put(self, key: str, path) -> None:
        metadata = {}
        if self.signing_key is not None:
            metadata[SIGNATURE_METADATA] = artifact_tag(self.signing_key, key, "", path)
        with self._faults():
            self.upload(self.object_name(key), os.fspath(path), metadata)

    def delete(self, key: str) -> None:
        with self._faults():
            self.remove(self.object_name(key))

    def check(self) -> list:
        """Write, read back and delete a probe object; the problems found,
        each one sentence saying what failed and why (empty: all works)."""
        from ..probe import probe

        return probe(self, name=self.object_name)

    # -- faults ---------------------------------------------------------------

    @contextlib.contextmanager
    def _faults(self):
        """Turn any SDK exception into a RemoteError with the plugin's explanation."""
        try:
            yield
        except RemoteError:
            raise
        except Exception as error:
            raise RemoteError(self.explain(error) or _default_explanation(error)) from None

    def _streamed(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        with self._faults():
            yield from chunks


def one_line(text, limit: int = 300) -> str:
    """``text`` (an SDK's message, often multi-line) as one line of at most
    ``limit`` characters, for a warning, with credentials in URLs masked."""
    from ..redact import printable

    return printable(" ".join(str(text).split()), limit)


def _default_explanation(error: Exception) -> str:
    return one_line(error) or type(error).__name__
