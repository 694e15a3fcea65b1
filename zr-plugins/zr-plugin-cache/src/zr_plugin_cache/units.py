"""Human sizes (``"5GB"``) and ages (``"7d"``) as written in zr.toml and on the CLI."""

from __future__ import annotations

import re

_SIZE_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2,
               "mb": 1000**2, "mib": 1024**2, "g": 1000**3, "gb": 1000**3,
               "gib": 1024**3, "t": 1000**4, "tb": 1000**4, "tib": 1024**4}
_AGE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_NUMBER_UNIT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_size(text) -> int:
    """Bytes in ``"5GB"``, ``"500 MiB"`` or a plain integer; ValueError if unreadable."""
    if isinstance(text, int):
        return text
    match = _NUMBER_UNIT.match(str(text))
    unit = match.group(2).lower() if match else None
    if not match or unit not in _SIZE_UNITS:
        raise ValueError(f'expected a size such as "5GB" or "500MiB", got "{text}"')
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


def parse_age(text) -> float:
    """Seconds in ``"7d"``, ``"12h"``, ``"30m"``, ``"2w"``; ValueError if unreadable."""
    match = _NUMBER_UNIT.match(str(text))
    unit = match.group(2).lower() if match else None
    if not match or unit not in _AGE_UNITS:
        raise ValueError(f'expected an age such as "7d", "12h" or "30m", got "{text}"')
    return float(match.group(1)) * _AGE_UNITS[unit]


def format_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
