"""zr plugin: ``.env`` files fill in task environments (see docs/env.md)."""
