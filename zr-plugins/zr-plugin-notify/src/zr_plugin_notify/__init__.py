"""zr plugin: notifications when a run ends (see docs/notify.md)."""
