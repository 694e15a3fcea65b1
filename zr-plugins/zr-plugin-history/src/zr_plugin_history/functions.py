"""``history.last_duration('task')`` for conditions.

Conditions run before a task, when ``tasks['x'].duration`` of this
invocation is not known yet (or the task will not run at all); the last
recorded success is the useful number, e.g. to skip a slow check on a
laptop: ``history.last_duration('e2e') < 60 || env.CI != ''``.
"""

from __future__ import annotations


def last_duration(ctx, name) -> float:
    """Seconds of the last successful run of ``name`` in this project; 0 if none."""
    from . import project
    from .store import connect, last_success_duration

    if not isinstance(name, str) or not name:
        from zr.errors import ZrError

        raise ZrError(f"expected a task name, got {name!r}")
    if project.current is None:
        return 0
    try:
        conn = connect(create=False)
    except Exception:  # no history yet, or an unreadable one: nothing known
        return 0
    try:
        value = last_success_duration(conn, project.current, name)
    except Exception:
        value = None
    finally:
        conn.close()
    return round(value, 3) if value is not None else 0
