"""What runs on a Dask worker: one attempt of one task in the worker's
checkout, and the signal that stops it.

:func:`run_task` is submitted by the coordinator (see :mod:`.executor`)
with a plain-data spec. It refuses a checkout at another commit, restores
its dependencies' outputs from the remote cache, runs the commands in
their own process group (killed with the worker if the worker dies),
streams their output back as Dask events on the run's topic, and stores
its own outputs in the remote cache for the coordinator to restore.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from .checkout import current

# attempt id -> the Popen running now; attempts cancelled before they ran
_running: dict = {}
_cancelled: set = set()
_lock = threading.Lock()
_CHUNK = 1 << 16


def run_task(spec: dict) -> dict:
    """Run one attempt. Its outcome, ``{"exit": code}`` or ``{"error":
    message}``, is both returned and sent as the attempt's last event
    ("done"), which reaches the coordinator after all the output and
    without the extra round trip of fetching a result from the worker."""
    from distributed import get_worker

    worker = get_worker()
    events = Events(worker, spec["topic"], spec["attempt"])
    try:
        checkout = current()
    except RuntimeError as error:
        return events.done(error=str(error))
    events.send(kind="start", name=checkout.name)
    if checkout.commit != spec["commit"]:
        return events.done(error=(
            f"worker {checkout.name} ({worker.address}) serves {checkout.root} at commit "
            f"{checkout.commit[:12]}, but this run is at commit {spec['commit'][:12]}: check "
            f"out {spec['commit'][:12]} there (git fetch && git checkout "
            f"{spec['commit'][:12]}) and restart the worker"))
    places = Places(spec["root"], checkout.root)
    try:
        restore_inputs(checkout, places, spec["inputs"])
    except Exception as error:
        return events.done(error=f"could not restore the outputs of dependencies from the "
                                 f"remote cache on worker {checkout.name}: {error}")
    code = run_commands(spec, checkout, places, events)
    if code == 0 and spec["outputs"]:
        from zr_plugin_cache.transfer import upload_outputs

        try:
            upload_outputs(checkout.backend, spec["key"], spec["outputs"],
                           places.here(spec["cwd"]), checkout.root)
        except Exception as error:
            return events.done(error=f"could not store the outputs in the remote cache from "
                                     f"worker {checkout.name}: {error}")
    return events.done(exit=code)


def signal_attempt(attempt: str, signum: int) -> bool:
    """Send ``signum`` to the process group of ``attempt`` if it runs here,
    and keep it from starting if it has not; run on every worker by
    ``Client.run``. True when a process was signalled."""
    with _lock:
        _cancelled.add(attempt)
        process = _running.get(attempt)
    if process is None:
        return False
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        return False
    return True


class Events:
    """Messages to the coordinator on the run's topic, in order."""

    def __init__(self, worker, topic: str, attempt: str):
        self.worker = worker
        self.topic = topic
        self.attempt = attempt

    def send(self, **message) -> None:
        self.worker.log_event(self.topic, {"attempt": self.attempt, **message})

    def done(self, **result) -> dict:
        self.send(kind="done", **result)
        return result


class Places:
    """Paths of the coordinator's checkout rewritten into this one."""

    def __init__(self, there: str, here_root: str):
        self.there = there.rstrip("/")
        self.root = here_root.rstrip("/")

    def rewrite(self, text: str) -> str:
        return text.replace(self.there, self.root) if self.there != self.root else text

    def here(self, relative: str) -> str:
        return os.path.normpath(os.path.join(self.root, relative))


def restore_inputs(checkout, places: Places, inputs) -> None:
    """Restore each dependency's outputs (``[key, patterns, cwd, name]``)
    into this checkout. A bad entry (tampered, an unsafe archive) is a miss,
    as in a run on one machine, and is removed from the remote; the task
    cannot run without those outputs, so it fails saying so."""
    from zr_plugin_cache.remote import BadEntry
    from zr_plugin_cache.transfer import download_outputs, remove_bad_entry

    for key, patterns, cwd, name in inputs:
        try:
            found = download_outputs(checkout.backend, key, patterns, places.here(cwd),
                                     checkout.root)
        except BadEntry as error:
            raise RuntimeError(f"the entry {key} of '{name}' is bad: {error}"
                               + remove_bad_entry(checkout.backend, key)) from None
        if not found:
            raise RuntimeError(f"the remote cache has no entry {key[:12]} of '{name}'")


def run_commands(spec: dict, checkout, places: Places, events: Events) -> int:
    env = {**os.environ, **{k: places.rewrite(v) for k, v in spec["env"].items()},
           "ZR_PROJECT_ROOT": checkout.root, "ZR_INVOCATION_DIR": checkout.root,
           "ZR_WORKER": checkout.name}
    cwd = places.here(spec["cwd"])
    attempt = spec["attempt"]
    for argv in spec["argvs"]:
        with _lock:
            if attempt in _cancelled:
                return -signal.SIGTERM
            try:
                process = subprocess.Popen(
                    [*_DIE_WITH_WORKER, *(places.rewrite(word) for word in argv)], cwd=cwd,
                    env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE, start_new_session=True)
            except OSError as error:
                events.send(kind="out", stream=2, data=f"zr: {error}\n".encode())
                return 127
            _running[attempt] = process
        try:
            pumps = [threading.Thread(target=_pump, args=(pipe, number, events), daemon=True)
                     for number, pipe in ((1, process.stdout), (2, process.stderr))]
            for pump in pumps:
                pump.start()
            code = process.wait()
            for pump in pumps:
                pump.join()
        finally:
            with _lock:
                _running.pop(attempt, None)
        if code != 0:
            return code
    return 0


def _pump(pipe, stream: int, events: Events) -> None:
    with pipe:
        for data in iter(lambda: pipe.read1(_CHUNK), b""):
            events.send(kind="out", stream=stream, data=data)


def _death_signal_launcher() -> list:
    """A prefix that makes the task's process get SIGKILL when the worker
    thread waiting for it dies (the worker was killed), so no task outlives
    its worker: util-linux ``setpriv --pdeathsig`` on Linux (an exec, where
    a ``preexec_fn`` would make every spawn fork the whole worker), nothing
    elsewhere."""
    import shutil

    setpriv = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    return [setpriv, "--pdeathsig", "KILL", "--"] if setpriv else []


_DIE_WITH_WORKER = _death_signal_launcher()
