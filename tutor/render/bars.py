"""Draw Bars: vertical bars with eighth-block tops, an axis, and overflow marked."""
from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style

from tutor.frames import Bars

from . import palette
from .chart import MAX_ROWS, wrap_words
from .look import Look

EIGHTHS = " ▁▂▃▄▅▆▇█"


def _fraction(value: float, bars: Bars) -> float | None:
    """Height of a bar as a fraction of the axis, or None for overflow."""
    if not math.isfinite(value):
        return None
    if bars.log:
        if value <= 0:
            return 0.0
        if not (bars.vmin > 0 and bars.vmax > 0):
            return None
        lo, hi = math.log10(bars.vmin), math.log10(bars.vmax)
        t = (math.log10(value) - lo) / ((hi - lo) or 1.0)
    else:
        t = (value - bars.vmin) / ((bars.vmax - bars.vmin) or 1.0)
    if not math.isfinite(t):  # a broken axis (inf/NaN range) is drawn as overflow
        return None
    return min(max(t, 0.0), 1.0)


def _axis(value: float, bars: Bars) -> str:
    return f"{value:.0e}" if bars.log else f"{value:.3g}"


def render_bars(bars: Bars, width: int, look: Look, fit: bool = False) -> list[list[Segment]]:
    """Lines of the chart: one column of at least one cell per bar, scrolled sideways when wider.

    fit=True, or a printed look (where nothing scrolls), keeps every line within width:
    when the bars outnumber the columns, each column stands for k bars in a
    row and draws the largest of them (overflow wins), and the title says so.
    """
    fit = fit or look.printed
    n = len(bars.values)
    axis_w = max(len(_axis(bars.vmin, bars)), len(_axis(bars.vmax, bars))) + 1
    per = math.ceil(n / max(width - axis_w, 1)) if fit and n > width - axis_w else 1
    values, labels = (bars.values, bars.labels) if per == 1 else _binned(bars, per)
    mark = None if bars.highlight is None else bars.highlight // per
    cols = len(values)
    bw = max(1, min(4, (width - axis_w) // max(cols, 1)))
    gap = 1 if bw >= 3 else 0
    fractions = [_fraction(float(v), bars) for v in values]
    dim, warn = Style(dim=True), look.role("warn")
    overflow = Style(color="#f0e442", bold=True) if not look.mono else Style(bold=True)
    note = f"  ({'log scale' if bars.log else 'linear'}" + (f", max of {per} per column)" if per > 1 else ")")
    if len(bars.title) + len(note) <= width:
        lines: list[list[Segment]] = [[Segment(bars.title, Style(bold=True)), Segment(note, dim)]]
    else:   # the title wraps, and the scale goes under it
        lines = [[Segment(text, Style(bold=True))] for text in wrap_words(bars.title, max(width, 8))]
        lines.append([Segment(note.strip(), dim)])
    height = max(bars.height, min(MAX_ROWS, (look.rows - 16) // 2))   # taller on a tall terminal
    levels = height * 8
    for row in range(height):
        label = _axis(bars.vmax, bars) if row == 0 else _axis(bars.vmin, bars) if row == height - 1 else ""
        line = [Segment(label.rjust(axis_w - 1) + "┤" if label else " " * (axis_w - 1) + "│", dim)]
        floor = (height - 1 - row) * 8  # eighths below this row
        for i, t in enumerate(fractions):
            if t is None:
                text = ("!" if row == 0 else "█") * (bw - gap)
                line.append(Segment(text, warn if row == 0 else overflow))
            else:
                filled = min(max(round(t * levels) - floor, 0), 8)
                # the bright three quarters of the ramp: short bars stay visible on dark themes
                color = palette.ramp("sequential", look.dark)[palette.level(0.3 + 0.7 * t, 0.0, 1.0)]
                style = Style(color=f"rgb({color[0]},{color[1]},{color[2]})", bold=i == mark)
                if look.mono:
                    style = Style(bold=i == mark)
                line.append(Segment(EIGHTHS[filled] * (bw - gap), style))
            if gap:
                line.append(Segment(" "))
        lines.append(line)
    lines.append(_x_labels(labels, axis_w, bw, width - axis_w if fit else cols * bw + 8))
    if bars.highlight is not None and 0 <= bars.highlight < n:
        v = float(bars.values[bars.highlight])
        shown = "overflow (inf/NaN)" if not math.isfinite(v) else bars.fmt.format(v) + (f" {bars.unit}" if bars.unit else "")
        lines.append([Segment(f"{bars.labels[bars.highlight]}: ", dim), Segment(shown, Style(bold=True))])
    if any(t is None for t in fractions):
        lines.append([Segment("! ", warn), Segment("overflow: the value is inf or NaN", dim)])
    return [_cut(line, width) for line in lines] if fit else lines


def _x_labels(labels: tuple[str, ...], axis_w: int, bw: int, room: int) -> list[Segment]:
    """Labels under the bars, as many as fit without overlapping, none past `room` cells."""
    n = len(labels)
    chars = [" "] * room
    widest = max((len(s) for s in labels), default=1) + 1
    every = max(1, math.ceil(widest / bw))
    for i in range(0, n, every):
        if i * bw + len(labels[i]) > room:
            break
        for k, ch in enumerate(labels[i]):
            chars[i * bw + k] = ch
    return [Segment(" " * axis_w + "".join(chars).rstrip(), Style(dim=True))]


def _binned(bars: Bars, per: int) -> tuple[list[float], tuple[str, ...]]:
    """Runs of `per` bars as one: the largest value of each run (inf/NaN wins), labelled by its first."""
    values, labels = [], []
    for start in range(0, len(bars.values), per):
        run = [float(v) for v in bars.values[start:start + per]]
        bad = [v for v in run if not math.isfinite(v)]
        values.append(bad[0] if bad else max(run))
        labels.append(bars.labels[start])
    return values, tuple(labels)


def _cut(line: list[Segment], width: int) -> list[Segment]:
    """A line of segments cut to width cells, the cut marked with an ellipsis."""
    if sum(s.cell_length for s in line) <= width:
        return line
    cut = Segment.adjust_line_length(line, max(width - 1, 0))
    return [*cut, Segment("…", line[-1].style)] if width else cut
