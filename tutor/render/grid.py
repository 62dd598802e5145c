"""Draw a Grid frame as lines of Rich segments.

Layout, top to bottom: title with the legend, column labels (on two
staggered lines when they do not fit one cell each), one line per row, and
the cursor's readout. Every row and column keeps its label: cut with "…" to
the room it has, never left out.
Each line is a list of Segments; the Heatmap widget crops them to the view.

The title line is fitted to the width it is drawn at, so the legend's two
values are always whole: the ramp shrinks first, then the " (rows × cols)"
suffix goes, then the title is shortened with "…".
"""
from __future__ import annotations

import math
from functools import lru_cache
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style

from tutor.frames import Grid

from . import palette
from .look import Look

MIN_CELL, MAX_CELL = 2, 7
LEGEND_CELLS = 16   # the ramp's cells when there is room
RAMP_FEW = 6        # the ramp shrinks to this before the title loses its suffix,
RAMP_MIN = 3        # and to this before the title is cut,
TITLE_MIN = 4       # down to this many cells and an ellipsis
TITLE_GAP = "   "   # between the title and the legend
LABEL_MAX = 10       # cells of a row label before it is cut with "…"


LABEL_MIN = 4        # a row label is cut down to this (and "…") to leave the cells room


def label_width(grid: Grid, width: int) -> int:
    """Cells for the row labels and a space: the widest label up to LABEL_MAX, less
    (down to LABEL_MIN) when the columns would otherwise not fit their narrowest."""
    _, cols = grid.shape
    widest = min(LABEL_MAX, max((cell_len(s) for s in grid.row_labels), default=0))
    room = width - cols * MIN_CELL - 1
    return max(min(widest, room), min(widest, LABEL_MIN)) + 1


def staggered(grid: Grid, cw: int) -> bool:
    """Column labels on two lines, alternate columns on each, when one cell is too narrow."""
    return max((cell_len(s) for s in grid.col_labels), default=0) > cw - 1


def min_width(grid: Grid) -> int:
    """The narrowest the grid draws whole in: shortest row labels, narrowest cells."""
    widest = min(LABEL_MAX, max((cell_len(s) for s in grid.row_labels), default=0))
    return min(widest, LABEL_MIN) + 1 + grid.shape[1] * MIN_CELL


def header_lines(grid: Grid, width: int) -> int:
    """Title line plus one or two lines of column labels."""
    return 3 if staggered(grid, cell_width(grid, width)) else 2


def cell_width(grid: Grid, width: int) -> int:
    _, cols = grid.shape
    avail = width - label_width(grid, width)
    return max(MIN_CELL, min(MAX_CELL, avail // max(cols, 1)))


def fit(text: str, width: int) -> str:
    """Cut text to width cells, marking the cut with an ellipsis."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return (set_cell_size(text, width - 1) + "…") if width > 1 else set_cell_size(text, width)


@lru_cache(maxsize=1024)
def _level_style(palette_name: str, dark: bool, index: int) -> Style:
    r, g, b = palette.ramp(palette_name, dark)[index]
    return Style(bgcolor=f"rgb({r},{g},{b})", color=palette.readable_text((r, g, b)))


_CURSOR = Style(bold=True, reverse=True, underline=True)
_EMPTY = Style(dim=True)
_LABEL = Style(dim=True)
_MARKED = Style(bold=True, reverse=True)      # the row or column being computed
_CURSOR_LABEL = Style(bold=True, underline=True)


def _cell_style(value: float, grid: Grid, look: Look) -> Style:
    return _level_style(grid.palette, look.dark, palette.level(value, grid.vmin, grid.vmax))


def _cell(value: float, grid: Grid, cw: int, look: Look, cursor: bool) -> Segment:
    if value != value:  # NaN: not computed yet
        return Segment("·".center(cw), _EMPTY + _CURSOR if cursor else _EMPTY)
    if math.isinf(value):
        return Segment(fit("inf" if value > 0 else "-inf", cw), Style(bold=True, reverse=True, underline=cursor))
    if look.mono:
        sign, fill = palette.shade(value, grid.vmin, grid.vmax, grid.palette == "diverging")
        text = (sign + fill * cw)[: cw - 1] + " "
        if cursor and cw >= 6:
            text = _short(value, grid).rjust(cw - 1) + " "
        return Segment(text, _CURSOR if cursor else Style())
    style = _cell_style(value, grid, look)
    if cursor:  # the cell stands out, its value in it where it fits (the readout has it whole)
        shown = _short(value, grid).rjust(cw - 1) + " " if cw >= 6 else " " * cw
        return Segment(shown, style + _CURSOR)
    if look.show_values and cw >= 6:
        return Segment(_short(value, grid).rjust(cw - 1) + " ", style)
    return Segment(" " * cw, style)


def _short(value: float, grid: Grid) -> str:
    if grid.palette == "diverging":
        return f"{value:+.2f}" if abs(value) < 10 else f"{value:+.0e}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.0e}"


def grid_line(grid: Grid, y: int, width: int, look: Look,
              cursor: tuple[int, int] | None = None) -> list[Segment]:
    """Line y of the drawing (see grid_size for how many there are)."""
    rows, cols = grid.shape
    lw = label_width(grid, width)
    cw = cell_width(grid, width)
    head = header_lines(grid, width)
    if y == 0:
        return title_line(grid, width, look)
    if y < head:
        return [Segment(" " * lw)] + column_labels(grid, cw, y - 1, head - 1, cursor)
    r = y - head
    if r < rows:
        style = _MARKED if r == grid.mark_row else (_CURSOR_LABEL if cursor and cursor[0] == r else _LABEL)
        line = [Segment(fit(grid.row_labels[r], lw - 1), style), Segment(" ")]
        row = grid.values[r].tolist()
        cur = cursor[1] if cursor is not None and cursor[0] == r else -1
        line.extend(_cell(v, grid, cw, look, c == cur) for c, v in enumerate(row))
        return line
    if cursor is not None and rows and cols:
        cr, cc = cursor
        v = float(grid.values[cr, cc])
        shown = "not computed yet" if math.isnan(v) else grid.fmt.format(v)
        return [Segment(grid.row_labels[cr], _CURSOR_LABEL), Segment(" × ", _LABEL),
                Segment(grid.col_labels[cc], _CURSOR_LABEL), Segment(" = ", _LABEL), Segment(shown, Style(bold=True))]
    return []


def column_labels(grid: Grid, cw: int, line: int = 0, lines: int = 1,
                  cursor: tuple[int, int] | None = None) -> list[Segment]:
    """One line of the labels over the columns. On one line each label is cut to
    its cell; on two, column c is on line c % 2 and may use its own cell and the
    next one (cut with "…" past that), so no label is ever left out."""
    out: list[Segment] = []
    labels = grid.col_labels
    for c, label in enumerate(labels):
        style = _MARKED if c == grid.mark_col else (_CURSOR_LABEL if cursor and cursor[1] == c else _LABEL)
        if lines == 1:
            out.append(Segment(fit(label, cw - 1), style))
            out.append(Segment(" "))
        elif c % 2 == line:
            room = min(2, len(labels) - c) * cw - 1
            out.append(Segment(fit(label, room), style))
            out.append(Segment(" "))
        elif c == 0:
            out.append(Segment(" " * cw))
    return out


def render_grid(grid: Grid, width: int, look: Look, cursor: tuple[int, int] | None = None) -> list[list[Segment]]:
    """Every line of the drawing (for printing with Rich outside the app)."""
    _, height = grid_size(grid, width, cursor is not None)
    return [grid_line(grid, y, width, look, cursor) for y in range(height)]


def legend_ends(grid: Grid) -> tuple[str, str]:
    """The value range's two ends as the legend prints them."""
    spec = "+.2g" if grid.palette == "diverging" else ".2g"
    return format(grid.vmin, spec), format(grid.vmax, spec)


def legend(grid: Grid, look: Look, cells: int = LEGEND_CELLS) -> list[Segment]:
    """The value range and the colors between its ends, the ramp `cells` wide."""
    lo, hi = legend_ends(grid)
    out = [Segment(f"{lo} " if cells else lo, Style(dim=True))]
    for i in range(cells):
        v = grid.vmin + (grid.vmax - grid.vmin) * i / max(cells - 1, 1)
        if look.mono:
            out.append(Segment(palette.shade(v, grid.vmin, grid.vmax, grid.palette == "diverging")[1]))
        else:
            out.append(Segment(" ", _cell_style(v, grid, look)))
    out.append(Segment(f" {hi}", Style(dim=True)))
    return out


def _suffix(grid: Grid) -> str:
    return f" ({grid.row_title} × {grid.col_title})" if grid.row_title else ""


def title_layout(grid: Grid, width: int) -> tuple[str, str, int]:
    """(title, suffix, ramp cells) of the title line that fits in width.

    The legend's two values are kept whole. To make room the ramp shrinks to
    RAMP_FEW cells, the suffix goes, the ramp shrinks to RAMP_MIN, the title
    is cut with "…"; at the very narrowest only the legend is left."""
    lo, hi = legend_ends(grid)
    legend_w = len(lo) + len(hi) + 2      # "lo " + ramp + " hi"
    title, suffix = grid.title, _suffix(grid)
    for extra, fewest in ((suffix, RAMP_FEW), ("", RAMP_FEW), ("", RAMP_MIN)):
        room = width - cell_len(title) - cell_len(extra) - len(TITLE_GAP) - legend_w
        if room >= fewest:
            return title, extra, min(room, LEGEND_CELLS)
    keep = width - len(TITLE_GAP) - legend_w - RAMP_MIN - 1   # cells of title before its "…"
    if keep >= TITLE_MIN and title:
        return set_cell_size(title, keep).rstrip() + "…", "", RAMP_MIN
    return "", "", max(0, min(width - legend_w, LEGEND_CELLS))


def title_line(grid: Grid, width: int, look: Look) -> list[Segment]:
    """The title, its axes and the legend, fitted to width (see title_layout)."""
    title, suffix, cells = title_layout(grid, width)
    out = []
    if title:
        out += [Segment(title, Style(bold=True)), Segment(suffix, Style(dim=True)), Segment(TITLE_GAP)]
    return [s for s in out if s.text] + legend(grid, look, cells)


def title_width(grid: Grid) -> int:
    """Cells the title line takes with room for everything."""
    lo, hi = legend_ends(grid)
    return cell_len(grid.title) + cell_len(_suffix(grid)) + len(TITLE_GAP) + len(lo) + len(hi) + 2 + LEGEND_CELLS


def grid_size(grid: Grid, width: int, cursor: bool) -> tuple[int, int]:
    """(width, height) the drawing needs at this widget width."""
    rows, cols = grid.shape
    lo, hi = legend_ends(grid)
    title = min(title_width(grid), max(width, len(lo) + len(hi) + 1))  # below that it scrolls sideways
    w = max(label_width(grid, width) + cols * cell_width(grid, width), title)
    return w, header_lines(grid, width) + rows + (1 if cursor else 0)
