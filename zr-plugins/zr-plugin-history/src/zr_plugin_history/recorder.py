"""Turning a finished run into history rows, without ever failing the run.

A history that cannot be written (an unwritable state directory, a lock
held past the busy timeout, a corrupt file) costs the user one warning on
stderr, never a failed run or a changed exit code.
"""

from __future__ import annotations

import os
import sys
import time

from zr import model

_warned = False


def run_row(run, summary) -> dict:
    from .gitref import head_commit

    config = run.config
    return {
        "project": config.path, "started_at": run.started_at, "duration": summary.duration,
        "exit_code": summary.exit_code, "targets": list(run.options.get("targets") or ()),
        "profile": profile_text(config.options.get("profile")),
        "git_commit": head_commit(config.root),
        "interrupted": summary.interrupted,
        "record_id": f"{os.getpid()}-{time.time_ns()}",
    }


def profile_text(value):
    """``--profile`` may be given several times (``ci,fast``); None when not given."""
    if not value:
        return None
    return ",".join(value) if isinstance(value, (list, tuple)) else str(value)


#: What a resource plugin may leave in ``TaskResult.extra`` for history.
MEASURED = ("peak_rss", "cpu_seconds", "limit_mechanism")


def task_rows(summary) -> list:
    return [{"name": r.name, "status": r.status, "exit_code": r.exit_code,
             "duration": r.duration, "attempts": r.attempts,
             "cached": r.status == model.CACHED,
             "started_at": r.started_at if r.attempts or r.status == model.CACHED else None,
             **{key: r.extra[key] for key in MEASURED if key in r.extra}}
            for r in summary.results.values()]


def record_run(run, summary) -> None:
    """Journal ``run`` for the history database; warn (once) if that fails.
    (A dry run never gets here: it makes no run.) No sqlite3 here: the
    journal is folded into the database when the history is read."""
    try:
        from .journal import append
        from .paths import database_path

        append(database_path(), run_row(run, summary), task_rows(summary))
    except Exception as exc:  # history is a convenience: never fail the run
        warn_once(exc)


def warn_once(exc: BaseException) -> None:
    global _warned
    if _warned:
        return
    _warned = True
    from .paths import database_path

    reason = str(exc) or type(exc).__name__
    sys.stderr.write(f"zr: warning: run not recorded in history ({database_path()}): "
                     f"{reason}; the run itself is unaffected"
                     f"{_hint(exc)}\n")
    sys.stderr.flush()


def _hint(exc: BaseException) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return (". The history file is damaged: `zr history clear --all` starts a new one "
                "(or move it away to keep it)")
    if isinstance(exc, OSError) and os.environ.get("ZR_HOME"):
        return ". Check that ZR_HOME is a writable directory"
    return ""
