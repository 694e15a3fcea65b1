"""Parsing of the human units zr.toml uses: durations ("90s") and sizes ("5GB").

Both are bounded: a value that is not finite, or too large to mean
anything (``nan``, ``inf``, ``1e309``, ``"99999999999999999999d"``), is
refused here rather than crashing a timer or disabling a timeout later.
"""

from __future__ import annotations

import math

#: The longest duration zr.toml accepts (7 days): longer timeouts, delays
#: and grace periods are mistakes, ``nan``/``inf`` would break timers, and
#: the event loop's poll takes at most 2**31 - 1 ms (about 24.8 days).
MAX_DURATION = 7 * 86400.0
#: The largest size zr.toml accepts (1 PiB).
MAX_SIZE = 1 << 50

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
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"expected a duration of 0 or more seconds, got {value}")
        return _bounded_duration(float(value), value)
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
        total += _number(number, value) * _DURATION_UNITS[unit]
        number = ""
        i += len(unit)
    if number:  # trailing bare number: seconds
        total += _number(number, value)
    return _bounded_duration(total, value)


def _number(text: str, value) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected a duration like \"90s\" or \"5m\", got \"{value}\"") from None


def _bounded_duration(seconds: float, value) -> float:
    if not math.isfinite(seconds) or seconds > MAX_DURATION:
        shown = f'"{value}"' if isinstance(value, str) else value
        shown = shown if len(str(shown)) <= 40 else str(shown)[:37] + "..."
        raise ValueError(f"expected a duration of at most 7 days (\"7d\"), got {shown}")
    return seconds


def parse_size(value) -> int:
    """Bytes from ``1048576``, ``"500MB"``, ``"5GiB"``. Raises ValueError."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_SIZE:
        return value
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        digits = text.rstrip("abcdefghijklmnopqrstuvwxyz")
        unit = text[len(digits):]
        if digits and unit in _SIZE_UNITS:
            try:
                size = float(digits) * _SIZE_UNITS[unit]
            except ValueError:
                size = math.nan
            if math.isfinite(size) and size <= MAX_SIZE:
                return int(size)
    raise ValueError(f"expected a size like \"500MB\" or \"5GiB\" (at most 1 PiB), "
                     f"got {value!r}")


def format_duration(seconds: float) -> str:
    """``0.12s``, ``4.3s``, ``2m05s`` — short, for summaries."""
    if seconds < 60:
        return f"{seconds:.2f}s" if seconds < 10 else f"{seconds:.1f}s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
