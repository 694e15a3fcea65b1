"""Parsing of the human units zr.toml uses: durations ("90s") and sizes ("5GB")."""

from __future__ import annotations

_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_SIZE_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2,
               "g": 1000**3, "gb": 1000**3, "t": 1000**4, "tb": 1000**4,
               "kib": 1024, "mib": 1024**2, "gib": 1024**3, "tib": 1024**4}


def parse_duration(value) -> float:
    """Seconds from ``90``, ``1.5``, ``"90s"``, ``"5m"``, ``"1h30m"``, ``"250ms"``.

    Raises ValueError with a message fit for the user.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a duration like \"90s\" or \"5m\", got {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"expected a positive duration, got {value}")
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a duration like \"90s\" or \"5m\", got {value!r}")
    text = value.strip().lower()
    total, number, i = 0.0, "", 0
    if not text:
        raise ValueError('expected a duration like "90s" or "5m", got ""')
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            number += ch
            i += 1
            continue
        unit = "ms" if text.startswith("ms", i) else ch
        if unit not in _DURATION_UNITS or not number:
            raise ValueError(f"expected a duration like \"90s\" or \"5m\", got \"{value}\"")
        total += float(number) * _DURATION_UNITS[unit]
        number = ""
        i += len(unit)
    if number:  # trailing bare number: seconds
        total += float(number)
    return total


def parse_size(value) -> int:
    """Bytes from ``1048576``, ``"500MB"``, ``"5GiB"``. Raises ValueError."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        digits = text.rstrip("abcdefghijklmnopqrstuvwxyz")
        unit = text[len(digits):]
        if digits and unit in _SIZE_UNITS:
            try:
                return int(float(digits) * _SIZE_UNITS[unit])
            except ValueError:
                pass
    raise ValueError(f"expected a size like \"500MB\" or \"5GiB\", got {value!r}")


def format_duration(seconds: float) -> str:
    """``0.12s``, ``4.3s``, ``2m05s`` — short, for summaries."""
    if seconds < 60:
        return f"{seconds:.2f}s" if seconds < 10 else f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
