"""The history database: one SQLite file under zr's state directory.

Several zr processes may finish at once (two terminals, a watch loop, CI
jobs on one machine), so the file is in WAL mode (readers never block the
writer) with a busy timeout (writers wait for each other instead of
failing), and each run is written in one short ``BEGIN IMMEDIATE``
transaction. ``synchronous=NORMAL`` skips the fsync on every commit: losing
the last run's row in a power cut is acceptable, slowing every run is not.
"""

from __future__ import annotations

import os
import sqlite3

BUSY_TIMEOUT_MS = 3000
SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project TEXT NOT NULL,
    started_at REAL NOT NULL,
    duration REAL NOT NULL,
    exit_code INTEGER NOT NULL,
    targets TEXT NOT NULL,
    profile TEXT,
    git_commit TEXT,
    interrupted INTEGER NOT NULL DEFAULT 0,
    record_id TEXT
);
CREATE TABLE IF NOT EXISTS task_runs (
    run_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    exit_code INTEGER,
    duration REAL NOT NULL,
    attempts INTEGER NOT NULL,
    cached INTEGER NOT NULL,
    started_at REAL,
    peak_rss INTEGER,
    cpu_seconds REAL,
    limit_mechanism TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_project ON runs (project, id);
CREATE INDEX IF NOT EXISTS task_runs_by_name ON task_runs (name, run_id);
CREATE UNIQUE INDEX IF NOT EXISTS runs_by_record ON runs (record_id);
"""
# What a database of an earlier schema version needs to reach this one.
_MIGRATIONS = {
    1: "ALTER TABLE runs ADD COLUMN record_id TEXT",
    # What a resource monitor measured (peak memory, CPU time, how limits applied).
    2: "ALTER TABLE task_runs ADD COLUMN peak_rss INTEGER; "
       "ALTER TABLE task_runs ADD COLUMN cpu_seconds REAL; "
       "ALTER TABLE task_runs ADD COLUMN limit_mechanism TEXT",
}


from .paths import database_path  # noqa: E402,F401  (re-exported for the commands)


def connect(path: str | None = None, *, create: bool = True) -> sqlite3.Connection:
    """An open connection with the schema in place.

    Raises ``sqlite3.Error`` or ``OSError`` (unwritable directory, corrupt
    file, lock held too long); callers decide whether that is fatal. With
    ``create=False`` a missing file raises FileNotFoundError instead of
    being created (reading commands should not leave files behind).
    """
    from . import journal

    path = path or database_path()
    if create or journal.pending(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    elif not os.path.exists(path):
        raise FileNotFoundError(path)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")  # executescript would commit on its own
            if version and conn.execute("SELECT name FROM sqlite_master WHERE name = 'runs'"
                                        ).fetchone():
                for step in range(version, SCHEMA_VERSION):
                    for statement in _MIGRATIONS[step].split(";"):
                        conn.execute(statement)
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        journal.drain(path, lambda records: insert_runs(conn, records))
    except BaseException:
        conn.close()
        raise
    return conn


def insert_runs(conn, records: list) -> None:
    """Store journaled ``(run_row, task_rows)`` records atomically, in order;
    a run already stored (same ``record_id``) is skipped."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for run_row, task_rows in records:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO runs (project, started_at, duration, exit_code, targets,"
                " profile, git_commit, interrupted, record_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_row["project"], run_row["started_at"], run_row["duration"],
                 run_row["exit_code"], _join_targets(run_row["targets"]), run_row["profile"],
                 run_row["git_commit"], int(run_row["interrupted"]),
                 run_row.get("record_id")))
            if not cursor.rowcount:
                continue
            run_id = cursor.lastrowid
            conn.executemany(
                "INSERT INTO task_runs (run_id, name, status, exit_code, duration, attempts,"
                " cached, started_at, peak_rss, cpu_seconds, limit_mechanism)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, t["name"], t["status"], t["exit_code"], t["duration"],
                  t["attempts"], int(t["cached"]), t["started_at"], t.get("peak_rss"),
                  t.get("cpu_seconds"), t.get("limit_mechanism")) for t in task_rows])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def recent_runs(conn, project: str, limit: int) -> list:
    """The project's last ``limit`` runs, newest first, each with its tasks."""
    rows = conn.execute(
        "SELECT id, started_at, duration, exit_code, targets, profile, git_commit, interrupted"
        " FROM runs WHERE project = ? ORDER BY id DESC LIMIT ?", (project, limit)).fetchall()
    runs = []
    for row in rows:
        tasks = conn.execute(
            "SELECT name, status, exit_code, duration, attempts, cached FROM task_runs"
            " WHERE run_id = ? ORDER BY rowid", (row[0],)).fetchall()
        runs.append({
            "id": row[0], "started_at": row[1], "duration": row[2], "exit_code": row[3],
            "targets": _split_targets(row[4]), "profile": row[5], "git_commit": row[6],
            "interrupted": bool(row[7]),
            "tasks": [{"name": t[0], "status": t[1], "exit_code": t[2], "duration": t[3],
                       "attempts": t[4], "cached": bool(t[5])} for t in tasks],
        })
    return runs


def task_history(conn, project: str, name: str, limit: int) -> list:
    """The last ``limit`` recorded outcomes of task ``name``, newest first."""
    rows = conn.execute(
        "SELECT r.id, r.started_at, t.status, t.exit_code, t.duration, t.attempts, t.cached,"
        " t.peak_rss, t.cpu_seconds, t.limit_mechanism"
        " FROM task_runs t JOIN runs r ON r.id = t.run_id"
        " WHERE r.project = ? AND t.name = ? ORDER BY r.id DESC LIMIT ?",
        (project, name, limit)).fetchall()
    return [{"run_id": r[0], "started_at": r[1], "status": r[2], "exit_code": r[3],
             "duration": r[4], "attempts": r[5], "cached": bool(r[6]), "peak_rss": r[7],
             "cpu_seconds": r[8], "limit_mechanism": r[9]} for r in rows]


def last_success_duration(conn, project: str, name: str):
    row = conn.execute(
        "SELECT t.duration FROM task_runs t JOIN runs r ON r.id = t.run_id"
        " WHERE r.project = ? AND t.name = ? AND t.status = 'success'"
        " ORDER BY r.id DESC LIMIT 1", (project, name)).fetchone()
    return row[0] if row else None


def clear(conn, project: str | None) -> int:
    """Delete the project's runs (every project's with None); how many."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        where, args = ("WHERE project = ?", (project,)) if project else ("", ())
        ids = f"SELECT id FROM runs {where}"
        conn.execute(f"DELETE FROM task_runs WHERE run_id IN ({ids})", args)
        count = conn.execute(f"DELETE FROM runs {where}", args).rowcount
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return count


def _join_targets(targets) -> str:
    """Targets stored one per line (task names have no newline); no json
    import on the recording path, which every run takes."""
    return "\n".join(targets)


def _split_targets(text: str) -> list:
    return text.split("\n") if text else []
