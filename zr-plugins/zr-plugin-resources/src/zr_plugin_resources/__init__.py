"""zr-plugin-resources: per-task memory and CPU limits, run-wide memory
budgets, and live CPU/RSS monitoring (docs/resources.md)."""
