"""Sending every notification of a finished run, in parallel, in bounded time.

Each webhook and the desktop notification get a thread; zr waits for them
until the largest webhook ``timeout`` has passed and then moves on (the
threads are daemons and die with the process). A failure is a warning on
stderr, one per webhook; the run's exit code never changes.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from .message import headline, outcome, payload, wanted
from .webhook import Delivery, post

DESKTOP_TIMEOUT = 3.0


def _say(text: str, warning: bool = False) -> None:
    sys.stderr.write(f"zr: {'warning: ' if warning else ''}{text}\n")
    sys.stderr.flush()


def notify(settings: dict, run, summary) -> None:
    verbose = bool(run.options.get("verbose")) and not run.options.get("quiet")
    jobs = []  # (thread, deadline, report)
    for hook in settings.get("webhooks", ()):
        if not wanted(hook["on"], summary):
            continue
        url = os.environ.get(hook["url_env"], "").strip()
        if not url:
            if verbose:
                _say(f"webhook {hook['url_env']} skipped: the variable is not set")
            continue
        if not url.startswith(("http://", "https://")):
            _say(f"webhook ${hook['url_env']} not sent: its value is not an http(s) URL", True)
            continue
        delivery = Delivery(f"${hook['url_env']}")
        body = payload(hook["format"], run, summary)
        thread = threading.Thread(target=post, args=(url, body, hook["timeout"],
                                                     hook["retries"], delivery),
                                  name=f"notify {hook['url_env']}", daemon=True)
        jobs.append((thread, hook["timeout"], delivery))
    if settings.get("desktop") and wanted(settings["on"], summary):
        result: dict = {}

        def desktop():
            from .desktop import show

            result["why"] = show(f"zr: {outcome(summary)}", headline(run, summary),
                                 DESKTOP_TIMEOUT)
        thread = threading.Thread(target=desktop, name="notify desktop", daemon=True)
        jobs.append((thread, DESKTOP_TIMEOUT, result))
    if not jobs:
        return
    started = time.monotonic()
    for thread, _, _ in jobs:
        thread.start()
    deadline = started + max(budget for _, budget, _ in jobs) + 0.1
    for thread, budget, _ in jobs:
        thread.join(max(0.0, min(deadline, started + budget + 0.1) - time.monotonic()))
    for thread, budget, report in jobs:
        if isinstance(report, Delivery):
            if report.error is not None:
                error = f"timed out after {budget:g}s" if thread.is_alive() else report.error
                _say(f"notification to webhook {report.name} failed ({error}); "
                     "the run's result is unchanged", True)
            elif verbose:
                _say(f"notified webhook {report.name}")
        elif verbose and report.get("why", "did not finish in time"):
            _say(f"desktop notification skipped: {report.get('why', 'did not finish in time')}")
