"""Draw a Grid frame as lines of Rich segments.

Layout, top to bottom: title with the legend, column labels, one line per
row, and the cursor's readout.
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
HEADER_LINES = 2  # title + column labels


def label_width(grid: Grid) -> int:
    return min(8, max((len(s) for s in grid.row_labels), default=0)) + 1


def cell_width(grid: Grid, width: int) -> int:
    _, cols = grid.shape
    avail = width - label_width(grid)
    return max(MIN_CELL, min(MAX_CELL, avail // max(cols, 1)))


def fit(text: str, width: int) -> str:
    """Cut text to width characters, marking the cut with an ellipsis."""
    if len(text) <= width:
        return text.ljust(width)
    return (text[: width - 1] + "…") if width > 1 else text[:width]


@lru_cache(maxsize=1024)
def _level_style(palette_name: str, dark: bool, index: int) -> Style:
    r, g, b = palette.ramp(palette_name, dark)[index]
    return Style(bgcolor=f"rgb({r},{g},{b})", color=palette.readable_text((r, g, b)))


_CURSOR = Style(bold=True)
_EMPTY = Style(dim=True)


def _cell_style(value: float, grid: Grid, look: Look) -> Style:
    return _level_style(grid.palette, look.dark, palette.level(value, grid.vmin, grid.vmax))


def _cell(value: float, grid: Grid, cw: int, look: Look, cursor: bool) -> Segment:
    if value != value:  # NaN: not computed yet
        return Segment("·".center(cw), _EMPTY)
    if math.isinf(value):
        return Segment(fit("inf" if value > 0 else "-inf", cw), Style(bold=True, reverse=True))
    if look.mono:
        sign, fill = palette.shade(value, grid.vmin, grid.vmax, grid.palette == "diverging")
        text = (sign + fill * cw)[: cw - 1] + " "
        return Segment(text, Style(reverse=cursor, bold=cursor))
    style = _cell_style(value, grid, look)
    if cursor:
        return Segment("◆".center(cw), style + _CURSOR)
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
    lw = label_width(grid)
    cw = cell_width(grid, width)
    dim = Style(dim=True)
    if y == 0:
        return title_line(grid, width, look)
    if y == 1:
        return [Segment(" " * lw)] + column_labels(grid, cw)
    r = y - HEADER_LINES
    if r < rows:
        marked = Style(bold=True, reverse=True) if r == grid.mark_row else dim
        line = [Segment(fit(grid.row_labels[r], lw - 1) + " ", marked)]
        row = grid.values[r].tolist()
        cur = cursor[1] if cursor is not None and cursor[0] == r else -1
        line.extend(_cell(v, grid, cw, look, c == cur) for c, v in enumerate(row))
        return line
    if cursor is not None and rows and cols:
        cr, cc = cursor
        v = float(grid.values[cr, cc])
        shown = "not computed yet" if math.isnan(v) else grid.fmt.format(v)
        return [Segment(f"{grid.row_labels[cr]} × {grid.col_labels[cc]} = ", dim), Segment(shown, Style(bold=True))]
    return []


def column_labels(grid: Grid, cw: int) -> list[Segment]:
    """Labels over the columns. When they do not fit a cell, every k-th column
    gets its whole label (spanning the cells to its right), so "10" never
    reads as "1"; the marked column always shows its label."""
    labels = grid.col_labels
    widest = max((len(s) for s in labels), default=0)
    if widest <= cw - 1:
        return [Segment(fit(label, cw - 1) + " ", Style(bold=True, reverse=True) if c == grid.mark_col else Style(dim=True))
                for c, label in enumerate(labels)]
    every = -(-(min(widest, 12) + 1) // cw)  # ceil
    out: list[Segment] = []
    c = 0
    while c < len(labels):
        span = every if grid.mark_col is None or not (c < grid.mark_col < c + every) else grid.mark_col - c
        width = min(span, len(labels) - c) * cw
        style = Style(bold=True, reverse=True) if c == grid.mark_col else Style(dim=True)
        out.append(Segment(fit(labels[c], width - 1) + " ", style))
        c += span
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
    w = max(label_width(grid) + cols * cell_width(grid, width), title)
    return w, HEADER_LINES + rows + (1 if cursor else 0)
