"""zr plugin: ``zr watch`` re-runs tasks when their files change (see docs/watch.md)."""
