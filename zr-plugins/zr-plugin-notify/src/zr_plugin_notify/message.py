"""What a notification says, in each webhook format.

``json`` is zr's own payload (for your own endpoint or a chat bridge);
``slack`` and ``discord`` are those services' incoming-webhook bodies.
"""

from __future__ import annotations

import os
import socket

from zr import model
from zr.api import format_duration


def outcome(summary) -> str:
    """``succeeded``, ``failed`` or ``interrupted``."""
    if summary.interrupted:
        return "interrupted"
    return "succeeded" if summary.exit_code == 0 else "failed"


def wanted(on: str, summary) -> bool:
    """Whether a target with ``on`` fires. An interrupted run (someone at the
    keyboard pressed Ctrl-C) is neither a success nor a failure."""
    state = outcome(summary)
    return on == "always" or (on == "failure" and state == "failed") or (
        on == "success" and state == "succeeded")


def _failures(summary) -> list:
    return [r for r in summary.results.values()
            if r.status in (model.FAILED, model.TIMED_OUT) and not r.allowed_failure]


def headline(run, summary) -> str:
    """One line: ``zr test failed in shop (exit 1, 4.2s): test failed (exit 42)``."""
    project = os.path.basename(run.config.root) or run.config.root
    targets = " ".join(run.options.get("targets") or ()) or "run"
    line = (f"zr {targets} {outcome(summary)} in {project} "
            f"(exit {summary.exit_code}, {format_duration(summary.duration)})")
    failures = _failures(summary)
    if failures:
        line += ": " + ", ".join(f"{r.name} {r.status.replace('_', ' ')} ({r.message})"
                                 for r in failures[:5])
        if len(failures) > 5:
            line += f" and {len(failures) - 5} more"
    return line


def payload(fmt: str, run, summary) -> dict:
    text = headline(run, summary)
    if fmt == "slack":
        icon = {"succeeded": ":white_check_mark:", "failed": ":x:"}.get(outcome(summary),
                                                                       ":warning:")
        return {"text": f"{icon} {text}"}
    if fmt == "discord":
        return {"content": text[:2000], "username": "zr"}
    return {
        "event": "run_finished", "outcome": outcome(summary), "text": text,
        "project": run.config.root, "targets": list(run.options.get("targets") or ()),
        "exit_code": summary.exit_code, "duration": round(summary.duration, 3),
        "host": socket.gethostname(),
        "failed": [r.name for r in _failures(summary)],
        "tasks": [r.to_json() for r in summary.results.values()],
    }
