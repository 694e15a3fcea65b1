"""Plain-text tables: left-aligned columns, two spaces apart, a header line."""

from __future__ import annotations


def render_table(header: list, rows: list) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = []
    for cells in [header, *rows]:
        lines.append("  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths))
                     .rstrip())
    return "\n".join(lines)
