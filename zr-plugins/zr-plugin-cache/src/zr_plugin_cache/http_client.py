"""A small HTTP client for cache servers: every request has an overall
deadline, downloads stream, signals end a wait at once, faults are RemoteError.

Shared by the Bazel-style and Turborepo backends. ``requests`` is imported
when a client is made, which happens only when a run uses a remote.

Why a worker thread per request: ``requests`` only knows per-read timeouts,
so a server that trickles one byte a second keeps a read alive for ever.
Each request runs in a daemon thread and the caller waits on a queue with a
deadline of three timeouts plus the body's size at
:data:`~zr_plugin_cache.remote.SLOWEST_RATE`; past it the request is
abandoned (its connection closed) and the caller gets a
:class:`RemoteError`. While the main thread waits, SIGINT, SIGTERM and
SIGHUP are passed on to zr's own handlers and also end the wait, so
Ctrl-C stops a run whatever the network does. In other threads (a task's
remote lookup) the wait ends when the attempt is cancelled instead (its
timeout, Ctrl-C: :func:`~zr_plugin_cache.remote.cancelled_by`).
"""

from __future__ import annotations

import contextlib
import queue
import signal
import threading
import time
from typing import Iterator

from .redact import mask_url, printable
from .remote import SLOWEST_RATE, Cancelled, RemoteError, cancel_event, wait_step

CHUNK = 1 << 16
_BUFFERED_CHUNKS = 16
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                 if hasattr(signal, name))
# What an answer means for the user, where a status alone says little.
_STATUS_MEANING = {
    401: " (not authorized: the token is missing or wrong; see cache.remote.token_env)",
    403: " (forbidden: the token lacks access, or the server refuses this method)",
    405: " (the server does not allow this method here)",
}


class RemoteInterrupted(RemoteError):
    """zr got a signal while waiting for the remote."""


class HttpClient:
    def __init__(self, base_url: str, *, timeout: float, token=None):
        """``token``, when given, goes with every request as a bearer token."""
        import requests

        self._requests = requests
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.headers = {"User-Agent": "zr-cache"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self._idle_sessions: queue.LifoQueue = queue.LifoQueue()

    def request(self, method: str, path: str, *, missing_ok: bool = False,
                body_size: int = 0, **kwargs):
        """Send a request and read its whole (small) answer; the response,
        or None for a 404 when ``missing_ok``. ``body_size`` is the size of
        an upload, which extends the deadline at ``SLOWEST_RATE``.

        Any connection problem, deadline, signal or status other than 2xx
        (or an allowed 404) raises :class:`RemoteError` with a short reason.
        """
        call = _Call(self, method, path, missing_ok, kwargs, stream=False)
        deadline = time.monotonic() + 3 * self.timeout + body_size / SLOWEST_RATE
        with _SignalsEndWaits() as signals:
            kind, value = call.next_item(deadline, signals)
        if kind == "error":
            raise value
        return value

    def download(self, path: str, **kwargs):
        """``(headers, chunks)`` of a GET, or None for a 404. The body
        streams: ``chunks`` yields it as it arrives, within three timeouts
        plus its size (declared or received) at ``SLOWEST_RATE``."""
        call = _Call(self, "GET", path, True, kwargs, stream=True)
        started = time.monotonic()
        with _SignalsEndWaits() as signals:
            kind, value = call.next_item(started + 3 * self.timeout, signals)
        if kind == "error":
            raise value
        if value is None:
            return None
        declared = _content_length(value.headers)
        return value.headers, call.chunks(started, 3 * self.timeout, declared)

    # -- sessions, one per concurrent request ------------------------------

    def _take_session(self):
        try:
            return self._idle_sessions.get_nowait()
        except queue.Empty:
            session = self._requests.Session()
            session.headers.update(self.headers)
            return session

    def _give_back(self, session) -> None:
        self._idle_sessions.put(session)

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"


class _Call:
    """One request running in a daemon thread, handing the caller its
    response (and for a download its chunks) through a bounded queue."""

    def __init__(self, client: HttpClient, method: str, path: str, missing_ok: bool,
                 kwargs: dict, *, stream: bool):
        self.client = client
        self.method = method
        self.url = client._url(path)
        self.missing_ok = missing_ok
        self.items: queue.Queue = queue.Queue(maxsize=_BUFFERED_CHUNKS)
        self.abandoned = threading.Event()
        self.response = None
        self.thread = threading.Thread(target=self._work, args=(kwargs, stream),
                                       name="zr-cache-http", daemon=True)
        self.thread.start()

    def _put(self, item) -> bool:
        """Hand ``item`` over unless the caller gave up (then False); a
        caller that stops taking items for three timeouts has given up too
        (a download whose chunks are never read)."""
        patience = time.monotonic() + 3 * self.client.timeout
        while not self.abandoned.is_set() and time.monotonic() < patience:
            try:
                self.items.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        self.abandoned.set()
        return False

    def _work(self, kwargs: dict, stream: bool) -> None:
        client = self.client
        requests = client._requests
        session = client._take_session()
        try:
            response = self.response = session.request(
                self.method, self.url, timeout=(client.timeout, client.timeout),
                allow_redirects=False, stream=stream, **kwargs)
            if self.missing_ok and response.status_code == 404:
                response.close()
                self._put(("value", None))
                return
            if not 200 <= response.status_code < 300:
                response.close()
                why = _STATUS_MEANING.get(response.status_code, "")
                raise RemoteError(f"{self.method} {mask_url(self.url)} answered "
                                  f"HTTP {response.status_code}{why}")
            if not self._put(("value", response)) or not stream:
                return
            for chunk in response.iter_content(CHUNK):
                if not self._put(("chunk", chunk)):
                    return
            self._put(("end", None))
        except requests.exceptions.Timeout:
            self._put(("error", RemoteError(f"no answer within {client.timeout:g}s")))
        except requests.exceptions.ConnectionError as error:
            self._put(("error", RemoteError(f"cannot connect ({_reason(error)})")))
        except requests.exceptions.RequestException as error:
            self._put(("error", RemoteError(f"request failed ({_reason(error)})")))
        except RemoteError as error:
            self._put(("error", error))
        except Exception as error:  # a broken answer must not kill the thread silently
            self._put(("error", RemoteError(f"request failed ({_reason(error)})")))
        finally:
            if self.response is not None and (self.abandoned.is_set() or stream):
                self.response.close()
            if not self.abandoned.is_set():
                client._give_back(session)

    def abandon(self) -> None:
        """Stop caring: the worker drops what it has and closes its response."""
        self.abandoned.set()
        response = self.response
        if response is not None:
            try:
                response.close()
            except Exception:
                pass

    def next_item(self, deadline: float, signals: "_SignalsEndWaits"):
        """The worker's next ``(kind, value)``, or ``("error", RemoteError)``
        once ``deadline`` passes, a signal arrives or the attempt waiting
        is cancelled (:func:`~zr_plugin_cache.remote.cancelled_by`)."""
        cancel = cancel_event()
        try:
            while True:
                signals.check()
                if cancel is not None and cancel.is_set():
                    self.abandon()
                    return "error", Cancelled(f"{self.method} {mask_url(self.url)} cancelled")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self.abandon()
                    return "error", RemoteError(
                        f"{self.method} {mask_url(self.url)} took too long (the answer "
                        f"came slower than {SLOWEST_RATE >> 20} MB/s)")
                try:
                    with signals.waiting():
                        return self.items.get(timeout=min(remaining, wait_step(cancel)))
                except queue.Empty:
                    continue
        except RemoteInterrupted as error:
            self.abandon()
            return "error", error

    def chunks(self, started: float, slack: float, declared: int) -> Iterator[bytes]:
        received = 0
        try:
            with _SignalsEndWaits() as signals:
                while True:
                    budget = slack + max(declared, received) / SLOWEST_RATE
                    kind, value = self.next_item(started + budget, signals)
                    if kind == "chunk":
                        received += len(value)
                        yield value
                    elif kind == "end":
                        return
                    else:
                        raise value
        finally:
            self.abandon()


class _SignalsEndWaits:
    """While active (main thread only), SIGINT/SIGTERM/SIGHUP go to zr's
    own handlers as before and also end the client's wait: raised at once
    inside :meth:`waiting`, or at the next :meth:`check` if the signal came
    between two waits."""

    def __init__(self):
        self.active = threading.current_thread() is threading.main_thread()
        self.previous: dict = {}
        self.received = None
        self._waiting = False

    def __enter__(self):
        if self.active:
            for signum in _SIGNALS:
                try:
                    self.previous[signum] = signal.signal(signum, self._handle)
                except (ValueError, OSError):
                    pass
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self.previous.items():
            try:
                if signal.getsignal(signum) == self._handle:
                    signal.signal(signum, handler)
            except (ValueError, OSError, TypeError):
                pass

    def _handle(self, signum, frame) -> None:
        self.received = signum
        previous = self.previous.get(signum)
        if callable(previous):
            previous(signum, frame)
        elif previous == signal.SIG_DFL and signum == signal.SIGINT:
            raise KeyboardInterrupt
        if self._waiting:
            self._waiting = False
            raise RemoteInterrupted("interrupted")

    def check(self) -> None:
        if self.received is not None:
            raise RemoteInterrupted("interrupted")

    @contextlib.contextmanager
    def waiting(self):
        self._waiting = True
        try:
            yield
        finally:
            self._waiting = False


def _content_length(headers) -> int:
    try:
        return max(0, int(headers.get("Content-Length", 0)))
    except (TypeError, ValueError):
        return 0


def _reason(error) -> str:
    """The innermost message of a requests exception, without the noise,
    credentials or binary bytes."""
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "timed out",
                   "Connection reset", "RemoteDisconnected"):
        if marker in text:
            return marker.lower() if marker != "RemoteDisconnected" else "connection closed"
    return printable(text)
