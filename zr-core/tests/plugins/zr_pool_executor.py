"""A test executor: runs every attempt's plan in a thread pool (subprocess
in a worker thread), reporting output and exit through the handle, as a
remote or distributed executor would. Tasks with ``pool = "hang"`` never
finish and ignore cancel (the kernel must end them itself)."""

import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

from zr.api import STRING, hookimpl

_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="zr-test-pool")


class PoolExecutor:
    def __init__(self, hang: bool):
        self.hang = hang
        self.cancelled = threading.Event()
        self.signals = []

    def start(self, handle):
        if self.hang:  # a daemon thread: a pool's workers are joined at exit
            threading.Thread(target=self._run, args=(handle,), daemon=True).start()
        else:
            _POOL.submit(self._run, handle)

    def _run(self, handle):
        marker = handle.plan.env.get("POOL_MARKER")
        if marker:
            with open(marker, "a") as fh:
                fh.write(f"{handle.task.name} {threading.current_thread().name}\n")
        if self.hang:
            threading.Event().wait()  # never finishes, never looks at cancel
        for argv in handle.plan.argvs:
            proc = subprocess.run(argv, cwd=handle.plan.cwd, env=handle.plan.env,
                                  capture_output=True, stdin=subprocess.DEVNULL)
            handle.output(1, proc.stdout)
            handle.output(2, proc.stderr)
            if proc.returncode != 0:
                handle.finish(proc.returncode)
                return
        handle.finish(0)

    def cancel(self, signum):
        self.signals.append(signum)
        self.cancelled.set()


@hookimpl
def zr_config_sections(registry):
    registry.task_field("pool", STRING, help="Run in the test thread pool; 'hang' never ends.")


@hookimpl
def zr_task_executor(task, plan, run):
    mode = task.field("pool")
    if mode is None:
        return None
    return PoolExecutor(hang=mode == "hang")
