"""RowLayout: a Row frame's panels side by side, or one under the other, decided as the row is laid out.

Side by side, each panel gets an equal share of the row's width (a column
left over stays blank at the right, so that grids of one row draw their cells
alike), a column between them; stacked, each gets the whole width and a blank row under it.
Which one is decided by the row (RowView.stack_for) from the width this very
layout gives it. Decided after the layout, from the size it left (a class
set on resize), the row was styled and laid out again, and drawn twice more:
about 40 ms of a step's first visit.
"""
from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.layout import ArrangeResult, Layout
from textual.layouts.vertical import VerticalLayout

GAP = 1     # a column between panels side by side, a row between stacked ones


class RowLayout(Layout):
    name = "row"

    def __init__(self, stack_for: Callable[[int], bool]) -> None:
        self.stack_for = stack_for
        self.column = VerticalLayout()   # each panel's own height at its width, as a column lays it out

    def arrange(self, parent, children, size: Size, greedy: bool = True) -> ArrangeResult:
        if not children:
            return []
        if self.stack_for(size.width):
            placed = self.column.arrange(parent, children, size, greedy)
            return [p._replace(region=p.region.translate((0, i * GAP))) for i, p in enumerate(placed)]
        count = len(children)
        width = max(size.width - GAP * (count - 1), count) // count   # equal: grids drawn alike
        placed, x = [], 0
        for child in children:
            (placement,) = self.column.arrange(parent, [child], Size(width, size.height), greedy)
            placed.append(placement._replace(region=placement.region.translate((x, 0))))
            x += width + GAP
        return placed
