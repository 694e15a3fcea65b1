"""``shell(cmd)``: true when a shell command exits 0.

The command runs with ``sh -c`` in the context's ``cwd`` and ``env``, its
output discarded (a condition asks a question; it does not print). It runs
in its own process group, and the whole group is killed if it outlives the
context's ``shell_timeout``, so a hung check cannot hang zr.
"""

from __future__ import annotations

import os

from zr.errors import ZrError

from .arguments import expect_text


def shell(ctx, *args) -> bool:
    import signal
    import subprocess

    (command,) = expect_text(args, "command")
    if not os.path.isdir(ctx.cwd):
        raise ZrError(f"working directory {ctx.cwd!r} does not exist")
    process = subprocess.Popen(
        ["sh", "-c", command], cwd=ctx.cwd, env=dict(ctx.env),
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        return process.wait(timeout=ctx.shell_timeout) == 0
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ZrError(f"{command!r} did not finish within {ctx.shell_timeout:g}s") from None
    except BaseException:
        # Interrupted (Ctrl-C): leave no process group behind.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
