"""Where the panes of ``zr live`` go: a grid of up to four cells that fits
the terminal.

The panes are laid out in rows of one or two, side by side where each
still gets :data:`MIN_WIDTH` columns, stacked otherwise; among the
arrangements that fit, the one whose cells are closest to square on the
screen wins (a character cell is about twice as tall as wide), so two
panes sit side by side on a wide terminal and one above the other on a
narrow or tall one. Pure arithmetic: the view calls it for every frame
with the terminal's size of the moment, so resizing re-lays out the grid.
"""

from __future__ import annotations

import math
from typing import NamedTuple

MOST = 4          # panes shown at once
MIN_WIDTH = 30    # columns of a pane that shares its row
MIN_HEIGHT = 5    # rows of a pane that shares the screen: its title and 4 lines


class Cell(NamedTuple):
    x: int
    y: int
    width: int
    height: int


def capacity(width: int, height: int) -> int:
    """How many panes fit at once in ``width`` x ``height`` (at least 1)."""
    for count in range(MOST, 1, -1):
        if _fitting(count, width, height):
            return count
    return 1


def layout(count: int, width: int, height: int) -> list:
    """The cells of ``count`` panes (at most :func:`capacity`) filling
    ``width`` x ``height``, row by row, left to right; side-by-side cells
    leave one column between them for a rule."""
    if count <= 1:
        return [Cell(0, 0, width, height)]
    options = _fitting(count, width, height)
    if not options:
        options = [_cells([1] * count, width, height)]
    return min(options, key=_squareness)


def _fitting(count: int, width: int, height: int) -> list:
    """The arrangements of ``count`` panes (one or two per row) that fit."""
    found = []
    for per_row in (2, 1):
        rows = math.ceil(count / per_row)
        shape = [per_row] * (rows - 1) + [count - per_row * (rows - 1)]
        cells = _cells(shape, width, height)
        shared = [cell for cell, in_row in zip(cells, _row_sizes(shape)) if in_row > 1]
        if all(cell.width >= MIN_WIDTH for cell in shared) and \
                (rows == 1 or all(cell.height >= MIN_HEIGHT for cell in cells)):
            found.append(cells)
    return found


def _row_sizes(shape: list) -> list:
    """For each cell of ``shape``, how many cells share its row."""
    return [in_row for in_row in shape for _ in range(in_row)]


def _cells(shape: list, width: int, height: int) -> list:
    cells = []
    y = 0
    for row, in_row in enumerate(shape):
        row_height = _share(height, len(shape), row)
        x = 0
        for column in range(in_row):
            cell_width = _share(width - (in_row - 1), in_row, column)
            cells.append(Cell(x, y, cell_width, row_height))
            x += cell_width + 1
        y += row_height
    return cells


def _share(total: int, parts: int, index: int) -> int:
    """Part ``index`` of ``total`` split as evenly as can be (earlier parts
    get the remainder)."""
    return total // parts + (1 if index < total % parts else 0)


def _squareness(cells: list) -> float:
    first = cells[0]
    return abs(math.log(max(first.width, 1) / (2 * max(first.height, 1))))
