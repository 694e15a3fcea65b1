"""zr plugin: git facts for task conditions (see docs/git.md)."""
