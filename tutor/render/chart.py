"""Draw a Chart: series as braille dots (2×4 per cell), with axes and a legend."""
from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style

from tutor.frames import Chart

from .look import Look

# Braille dot bits, indexed [row 0..3][col 0..1].
_DOTS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))

# Without color (NO_COLOR) series are told apart by their line: solid, dashed,
# dotted, dash-dot. Each pattern says which dots of a run along the line are drawn.
_DASHES = ((1,), (1, 1, 1, 0, 0, 0), (1, 0, 0), (1, 1, 1, 0, 1, 0))
_DASH_KEYS = ("━", "╍", "┉", "╌")


def _scale(v: float, lo: float, hi: float, log: bool) -> float | None:
    if log:
        if not (v > 0 and lo > 0 and hi > 0):
            return None
        v, lo, hi = math.log10(v), math.log10(lo), math.log10(hi)
    if not (math.isfinite(v) and math.isfinite(lo) and math.isfinite(hi)):
        return None
    t = (v - lo) / ((hi - lo) or 1.0)
    return t if math.isfinite(t) else None


def _line(x0: int, y0: int, x1: int, y1: int):
    """Integer points from (x0, y0) to (x1, y1), Bresenham."""
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
    err = dx + dy
    while True:
        yield x0, y0
        if x0 == x1 and y0 == y1:
            return
        e2 = 2 * err
        if e2 >= dy:
            err += dy
            x0 += sx
        if e2 <= dx:
            err += dx
            y0 += sy


def _fmt(v: float, log: bool) -> str:
    return f"{v:.0e}" if log else f"{v:.3g}"


MAX_ROWS = 18     # a chart grows with a tall terminal up to this many rows of dots


def chart_rows(chart: Chart, look: Look) -> int:
    """The chart's rows: its own height, more on a tall terminal (look.rows), up to MAX_ROWS."""
    return max(chart.height, min(MAX_ROWS, (look.rows - 16) // 2))


def wrap_words(text: str, width: int) -> list[str]:
    """Text over lines of at most width cells, broken between words (a longer word is cut)."""
    lines = [""]
    for word in text.split():
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word}" if lines[-1] else word
    return [line if len(line) <= width else line[: max(width - 1, 0)] + "…" for line in lines]


def _packed(items: list[list[Segment]], indent: int, width: int) -> list[list[Segment]]:
    """Legend items over as many lines as they need within width."""
    lines: list[list[Segment]] = []
    used = width
    for item in items:
        size = sum(s.cell_length for s in item)
        if used + size > width and (not lines or used > indent):
            lines.append([Segment(" " * indent)])
            used = indent
        lines[-1] += item
        used += size
    return lines


def render_chart(chart: Chart, width: int, look: Look) -> list[list[Segment]]:
    """The chart within `width` cells: the title and the legend wrap, the x label
    moves under the axis when the ticks leave it no room."""
    y_lo, y_hi = chart.y_range
    axis_w = max(len(_fmt(y_lo, chart.log_y)), len(_fmt(y_hi, chart.log_y))) + 1
    W, H = max(width - axis_w - 1, 4), chart_rows(chart, look)
    dw, dh = W * 2, H * 4
    bits = [[0] * W for _ in range(H)]
    owner = [[-1] * W for _ in range(H)]

    def plot(px: int, py: int, k: int) -> None:
        if 0 <= px < dw and 0 <= py < dh:
            cy, cx = py // 4, px // 2
            bits[cy][cx] |= _DOTS[py % 4][px % 2]
            owner[cy][cx] = k

    for k, series in enumerate(chart.series):
        dash = _DASHES[k % len(_DASHES)] if look.mono else _DASHES[0]
        run = 0  # dots walked along this series' line, for its dash pattern
        prev = None
        for x, y in zip(series.x, series.y):
            tx = _scale(float(x), *chart.x_range, False)
            ty = _scale(float(y), y_lo, y_hi, chart.log_y)
            if tx is None or ty is None or not -1e-9 <= tx <= 1 + 1e-9:
                prev = None  # outside the x range: not drawn, and no line to it
                continue
            ty = min(max(ty, 0.0), 1.0)
            px, py = round(tx * (dw - 1)), round((1 - ty) * (dh - 1))
            if series.points or prev is None:
                plot(px, py, k)
            else:
                for qx, qy in list(_line(*prev, px, py))[1:]:  # the start was drawn as the last end
                    if dash[run % len(dash)]:
                        plot(qx, qy, k)
                    run += 1
            prev = (px, py)

    dim = Style(dim=True)
    head = f"{chart.title}   {chart.y_label}" if chart.y_label else chart.title
    lines: list[list[Segment]] = []
    for i, text in enumerate(wrap_words(head, max(width, 8))):
        cut = text.find("   ") if chart.y_label and i == 0 and text.startswith(chart.title) else -1
        lines.append([Segment(text, Style(bold=True))] if cut < 0 else
                     [Segment(text[:cut], Style(bold=True)), Segment(text[cut:], dim)])
    for cy in range(H):
        label = _fmt(y_hi, chart.log_y) if cy == 0 else _fmt(y_lo, chart.log_y) if cy == H - 1 else ""
        line = [Segment(label.rjust(axis_w - 1) + ("┤" if label else "│"), dim)]
        for cx in range(W):
            b = bits[cy][cx]
            line.append(Segment(chr(0x2800 + b) if b else " ", look.series(owner[cy][cx]) if b else Style()))
        lines.append(line)
    x_lo, x_hi = chart.x_range
    left, right = f"{x_lo:.3g}", f"{x_hi:.3g}"
    middle = f" {chart.x_label} " if chart.x_label else ""
    below = len(left) + len(right) + len(middle) + 2 > W   # no room between the ticks
    if below:
        middle = ""
    pad = max(W - len(left) - len(right) - len(middle), 2)
    lines.append([Segment(" " * axis_w + left + " " * (pad // 2) + middle + " " * (pad - pad // 2) + right, dim)])
    if below and chart.x_label:
        lines += [[Segment(" " * axis_w + text, dim)] for text in wrap_words(chart.x_label, max(W, 8))]
    items = []
    for k, series in enumerate(chart.series):
        key = "●" if series.points else _DASH_KEYS[k % len(_DASH_KEYS)] if look.mono else "━"
        items.append([Segment(key, look.series(k)), Segment(f" {series.label}   ")])
    lines += _packed(items, axis_w, width)
    return lines
