"""A desktop notification where the desktop offers one.

``notify-send`` (libnotify, Linux and BSD desktops) or ``osascript``
(macOS). Where neither exists (a server, CI, a container) it is skipped
without a word, unless ``--verbose`` asks why nothing appeared.
"""

from __future__ import annotations

import shutil
import subprocess
import sys


def command(title: str, text: str):
    """The argv that shows the notification here, or None."""
    if sys.platform == "darwin" and shutil.which("osascript"):
        script = f"display notification {_apple_string(text)} with title {_apple_string(title)}"
        return ["osascript", "-e", script]
    if shutil.which("notify-send"):
        return ["notify-send", "--app-name=zr", title, text]
    return None


def _apple_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def show(title: str, text: str, timeout: float) -> str | None:
    """Show it; a reason it was not shown (for --verbose), or None."""
    argv = command(title, text)
    if argv is None:
        return "no notify-send or osascript on PATH"
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{argv[0]} did not work: {exc}"
    if done.returncode != 0:
        return f"{argv[0]} exited {done.returncode}: {done.stderr.decode(errors='replace').strip()}"
    return None
