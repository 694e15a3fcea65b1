"""Durations as a view shows them: short and of fixed shape."""

from __future__ import annotations


def seconds(value: float) -> str:
    """``4.2s``, ``38s``, ``3m05s``, ``1h02m``."""
    if value < 10:
        return f"{value:.1f}s"
    value = int(value)
    if value < 60:
        return f"{value}s"
    if value < 3600:
        return f"{value // 60}m{value % 60:02d}s"
    return f"{value // 3600}h{value % 3600 // 60:02d}m"
