"""zr plugin: run history in SQLite and the ``zr history`` command (see docs/history.md)."""
