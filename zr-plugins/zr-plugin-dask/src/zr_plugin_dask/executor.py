"""The coordinator's side: one Dask client per run, and an executor per
attempt that submits the task to the cluster and reports through zr's
handle.

A run keeps one :class:`DaskSession` (``run.state["dask"]``). It connects
on first use, from an executor's thread (never on zr's loop), subscribes
to the run's event topic (the workers' output and "started on worker W"
messages, dispatched to the attempts they belong to), and moves outputs
through the remote cache: before a task is submitted, any dependency
whose outputs are not in the remote yet (a local cache hit, a task that
ran here) is uploaded; after a task succeeded on a worker, its outputs
are restored here, so the next tasks' keys and the user see them.
Entries are keyed by the run and task (:meth:`DaskSession.transfer_key`),
apart from the task cache's content-addressed keys.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
import time
import uuid

from .remote import run_task, signal_attempt

CONNECT_TIMEOUT = "5s"
EVENTS_WAIT_SECONDS = 10.0


class DaskSession:
    def __init__(self, run, address: str, commit: str):
        self.run = run
        self.address = address
        self.commit = commit
        self.root = str(run.config.root)
        self.run_id = uuid.uuid4().hex
        self.topic = f"zr-run-{self.run_id}"
        self._client = None
        self._connect_error = None
        self._lock = threading.Lock()
        self._listeners: dict = {}
        self.lost_workers: dict = {}  # task name -> workers lost while running it
        self._available: dict = {}  # task name -> Event set once its outputs are in the remote
        self.backend = None

    # -- connection ---------------------------------------------------------

    def client(self):
        """The run's client, connected on first use; RuntimeError with a
        message when the scheduler cannot be reached."""
        with self._lock:
            if self._client is None and self._connect_error is None:
                try:
                    self._client = self._connect()
                except Exception as error:
                    self._connect_error = (f"cannot reach the Dask scheduler at {self.address}: "
                                           f"{error}")
            if self._connect_error:
                raise RuntimeError(self._connect_error)
            return self._client

    def _connect(self):
        from distributed import Client
        from zr_plugin_cache.transfer import remote_backend

        self.backend = remote_backend(self.run.config, self.run.printer.warn
                                      if self.run.printer else None)
        reachable(self.address)
        client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        client.subscribe_topic(self.topic, self._dispatch)
        return client

    def _dispatch(self, event) -> None:
        _, message = event
        listener = self._listeners.get(message.get("attempt"))
        if listener is not None:
            listener.receive(message)

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            try:
                client.close(timeout=5)
            except Exception:
                pass

    # -- outputs through the remote cache -----------------------------------

    def transfer_key(self, name: str) -> str:
        return hashlib.sha256(f"zr-dask/{self.run_id}/{name}".encode()).hexdigest()

    def relative(self, path: str) -> str:
        return os.path.relpath(path, self.root)

    def inputs_for(self, task) -> list:
        """``[key, outputs, cwd, name]`` of every dependency (transitively) that
        declares outputs, each uploaded from here first if no worker did."""
        inputs = []
        for name in self._dependencies(task):
            dependency = self.run.tasks[name]
            patterns = list(dependency.field("outputs") or ())
            if not patterns:
                continue
            self._ensure_uploaded(dependency, patterns)
            inputs.append([self.transfer_key(name), patterns, self.relative(dependency.cwd),
                           name])
        return inputs

    def _dependencies(self, task) -> list:
        seen, stack = [], list(task.all_deps)
        while stack:
            name = stack.pop()
            if name in seen or name not in self.run.tasks:
                continue
            seen.append(name)
            stack.extend(self.run.tasks[name].all_deps)
        return seen

    def _ensure_uploaded(self, task, patterns) -> None:
        with self._lock:
            ready = self._available.get(task.name)
            mine = ready is None
            if mine:
                ready = self._available[task.name] = threading.Event()
        if mine:
            from zr_plugin_cache.transfer import upload_outputs

            try:
                upload_outputs(self.backend, self.transfer_key(task.name), patterns, task.cwd,
                               self.root)
            finally:
                ready.set()
        ready.wait()

    def outputs_arrived(self, task) -> None:
        """Restore here the outputs a worker stored for ``task``. A bad
        entry (tampered, an unsafe archive) is not restored and is removed
        from the remote, as a run on one machine does with a bad cache
        entry; RuntimeError says so."""
        from zr_plugin_cache.remote import BadEntry
        from zr_plugin_cache.transfer import download_outputs, remove_bad_entry

        key = self.transfer_key(task.name)
        patterns = list(task.field("outputs") or ())
        try:
            found = download_outputs(self.backend, key, patterns, task.cwd, self.root)
        except BadEntry as error:
            raise RuntimeError(f"the worker's entry {key} is bad: {error}"
                               + remove_bad_entry(self.backend, key)) from None
        if not found:
            raise RuntimeError("the worker's entry is missing from the remote cache")
        done = threading.Event()
        done.set()
        with self._lock:
            self._available[task.name] = done

    # -- attempts -----------------------------------------------------------

    def listen(self, attempt: str, listener) -> None:
        self._listeners[attempt] = listener

    def forget(self, attempt: str) -> None:
        self._listeners.pop(attempt, None)


def reachable(address: str) -> None:
    """Fail at once on a refused connection (Dask's client would keep trying
    until its timeout); OSError says why."""
    import socket

    host, _, port = address.split("://", 1)[-1].rpartition(":")
    with socket.create_connection((host.strip("[]"), int(port)), timeout=5):
        pass


def lost_attempt_message(task_name: str, number: int, lost: str, next_worker: str) -> str:
    """What the user reads when Dask gives a task whose worker died to
    another worker: the lost attempt is counted, and the task's ``retry``
    budget is not what reran it (a dead machine is not the task's fault)."""
    return (f"zr: attempt {number} of '{task_name}' was lost with worker {lost}; retrying "
            f"on worker {next_worker} (attempt {number + 1}; a lost worker does not spend "
            f"the task's retries)\n")


class Listener:
    """The events of one attempt: output to the handle, a new worker after
    one died announced, and the outcome (the "done" event) kept for
    :meth:`outcome`."""

    def __init__(self, handle, task_name: str, lost: list):
        self.handle = handle
        self.task_name = task_name
        self.workers: list = []
        self.lost = lost  # the workers that died running it, for the task's result
        self.done = None
        self._settled = threading.Event()

    def receive(self, message: dict) -> None:
        kind = message.get("kind")
        if kind == "out":
            self.handle.output(message["stream"], message["data"])
        elif kind == "start":
            self.workers.append(message["name"])
            if len(self.workers) > 1:
                self.lost.append(self.workers[-2])
                self.handle.output(2, lost_attempt_message(
                    self.task_name, len(self.workers) - 1, self.workers[-2],
                    self.workers[-1]).encode())
        elif kind == "done":
            self.done = message
            self._settled.set()

    def settle(self, _future=None) -> None:
        """The future ended (also a done-callback): wake :meth:`outcome`."""
        self._settled.set()

    def outcome(self, future) -> dict:
        """The attempt's outcome: the "done" event, which normally arrives
        first; else the future's result (raises what the task raised, or
        CancelledError), once the events before it had time to arrive."""
        self._settled.wait()
        if self.done is not None:
            return self.done
        result = future.result()
        waited = 0.0
        while self.done is None and waited < EVENTS_WAIT_SECONDS:  # output still on its way
            time.sleep(0.01)
            waited += 0.01
        return self.done or result


class DaskExecutor:
    """One attempt of one task on the cluster (protocol ``zr.api.Executor``).

    ``cache_lookup`` is the cache plugin's remote lookup for the attempt
    (a ThreadExecutor) or None: a remote hit is restored without sending
    the task anywhere.
    """

    def __init__(self, session: DaskSession, task, plan, cache_lookup=None):
        self.session = session
        self.task = task
        self.plan = plan
        self.cache_lookup = cache_lookup
        self.attempt = uuid.uuid4().hex
        self.signals: list = []
        self.future = None

    def start(self, handle) -> None:
        threading.Thread(target=self._run, args=(handle,), daemon=True,
                         name=f"zr-dask-{self.task.name}").start()

    def _run(self, handle) -> None:
        try:
            if self.cache_lookup is not None and self._cache_hit(handle):
                return
            if self.signals:
                handle.finish(-self.signals[0])
                return
            handle.finish(self._submit(handle))
        except Exception as error:
            handle.output(2, f"zr: {error}\n".encode())
            handle.finish(1)
        finally:
            self.session.forget(self.attempt)

    def _cache_hit(self, handle) -> bool:
        probe = _CacheProbe(handle)
        self.cache_lookup.fn(probe, self.plan)
        return not probe.missed

    def _submit(self, handle) -> int:
        from concurrent.futures import CancelledError

        session = self.session
        client = session.client()
        spec = self.spec(session.inputs_for(self.task))
        lost = session.lost_workers.setdefault(self.task.name, [])
        listener = Listener(handle, self.task.name, lost)
        session.listen(self.attempt, listener)
        resources = self.task.field("resources") or None
        self.future = client.submit(run_task, spec, key=f"zr-{self.task.name}-{self.attempt}",
                                    pure=False, resources=resources)
        self.future.add_done_callback(listener.settle)
        if self.signals:  # cancelled while submitting
            self._signal(self.signals[-1])
        try:
            outcome = listener.outcome(self.future)
        except CancelledError:
            return -(self.signals[-1] if self.signals else signal.SIGTERM)
        except Exception as error:
            raise RuntimeError(f"the cluster could not run '{self.task.name}': "
                               f"{type(error).__name__}: {error}") from None
        finally:
            self.future.release()
        if outcome.get("error"):
            handle.output(2, f"zr: {outcome['error']}\n".encode())
            return 1
        code = outcome["exit"]
        if code == 0 and spec["outputs"]:
            try:
                session.outputs_arrived(self.task)
            except Exception as error:
                handle.output(2, f"zr: the outputs of '{self.task.name}' could not be "
                                 f"restored here from the remote cache: {error}\n".encode())
                return 1
        return code

    def spec(self, inputs: list) -> dict:
        session = self.session
        return {
            "topic": session.topic, "attempt": self.attempt, "commit": session.commit,
            "root": session.root, "cwd": session.relative(self.plan.cwd),
            "argvs": self.plan.argvs, "env": self.plan.key_env(),
            "inputs": inputs, "outputs": list(self.task.field("outputs") or ()),
            "key": session.transfer_key(self.task.name),
        }

    def cancel(self, signum: int) -> None:
        self.signals.append(signum)
        if self.cache_lookup is not None:  # stops a remote cache download under way
            self.cache_lookup.cancel(signum)
        if self.future is not None:
            threading.Thread(target=self._signal, args=(signum,), daemon=True).start()

    def _signal(self, signum: int) -> None:
        """Stop the remote process group wherever it runs; after Ctrl-C
        (SIGINT) and at SIGKILL also cancel the future, so nothing of the
        attempt is left on the cluster."""
        try:
            client = self.session.client()
            client.run(signal_attempt, self.attempt, int(signum), wait=True)
            if signum != signal.SIGTERM:
                self.future.cancel()
        except Exception:
            pass


class _CacheProbe:
    """The handle the cache plugin's remote lookup reports to: a hit goes
    to zr's handle, a miss (``run_locally``) sends the task to the cluster
    instead."""

    def __init__(self, handle):
        self._handle = handle
        self.missed = False

    def output(self, stream: int, data: bytes) -> None:
        self._handle.output(stream, data)

    def finish(self, exit_code=None, *, result=None) -> None:
        self._handle.finish(exit_code, result=result)

    def run_locally(self) -> None:
        self.missed = True
