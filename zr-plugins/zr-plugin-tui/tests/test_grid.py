"""Where ``zr live`` puts its panes for a terminal's size (the arithmetic of
:mod:`zr_plugin_tui.grid`; the screens themselves are tested in tmux)."""

from __future__ import annotations

import pytest

from zr_plugin_tui.grid import Cell, capacity, layout


def test_two_panes_sit_side_by_side_on_a_wide_terminal_and_stack_on_a_narrow_one():
    assert layout(2, 119, 38) == [Cell(0, 0, 59, 38), Cell(60, 0, 59, 38)]
    assert layout(2, 59, 28) == [Cell(0, 0, 59, 14), Cell(0, 14, 59, 14)]
    assert layout(2, 79, 58) == [Cell(0, 0, 79, 29), Cell(0, 29, 79, 29)]  # tall: stacked


def test_three_panes_are_two_above_one_and_four_a_square():
    assert layout(3, 119, 38) == [Cell(0, 0, 59, 19), Cell(60, 0, 59, 19),
                                  Cell(0, 19, 119, 19)]
    assert layout(4, 120, 37) == [Cell(0, 0, 60, 19), Cell(61, 0, 59, 19),
                                  Cell(0, 19, 60, 18), Cell(61, 19, 59, 18)]


@pytest.mark.parametrize("width, height, most", [
    (119, 38, 4),   # a 2x2 grid
    (59, 18, 3),    # too narrow for two columns, room for three stacked
    (200, 9, 2),    # too short to stack: side by side
    (50, 7, 1),     # neither
    (10, 1, 1),
])
def test_capacity_is_what_fits(width, height, most):
    assert capacity(width, height) == most
    cells = layout(most, width, height)
    assert len(cells) == most
    # the cells tile the area: every row of the screen is covered, with one
    # column of rule between side-by-side cells
    for row in range(height):
        in_row = sorted((c for c in cells if c.y <= row < c.y + c.height), key=lambda c: c.x)
        assert sum(c.width for c in in_row) + len(in_row) - 1 == width
