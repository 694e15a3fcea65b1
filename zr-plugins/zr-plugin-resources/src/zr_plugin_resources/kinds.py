"""The value kinds of the resource fields: sizes and CPU amounts, bounded
so that a typo or ``nan`` is a config error naming the key, never a crash."""

from __future__ import annotations

import math
import os

from zr.api import Kind, parse_size, show

#: The most cores a limit may name: more than any machine zr runs on has.
MAX_CORES = 4096.0


def _memory(value) -> int:
    try:
        size = parse_size(value)
    except ValueError:
        raise ValueError(f'expected a size like "512MB" or "2GiB", got {show(value)}') from None
    if size < 1 << 20:
        raise ValueError(f"expected at least 1 MiB, got {show(value)}")
    return size


def _cores(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or not 0 < value <= MAX_CORES:
        raise ValueError(f"expected a number of cores above 0 (1.5 = one and a half), "
                         f"got {show(value)}")
    return float(value)


def _percent(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or not 0 < value <= 100:
        raise ValueError(f"expected a percentage above 0 and at most 100, got {show(value)}")
    return float(value)


_SIZE_SCHEMA = {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 1 << 20}]}
MEMORY = Kind("memory-size", _memory, _SIZE_SCHEMA, 'size ("512MB", "2GiB")')
CORES = Kind("cores", _cores, {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_CORES},
             "number of cores (1.5)")
PERCENT = Kind("percent", _percent, {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
               "percentage (50)")


def machine_cores() -> int:
    return os.cpu_count() or 1
