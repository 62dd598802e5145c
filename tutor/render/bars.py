"""Draw Bars: vertical bars with eighth-block tops, an axis, and overflow marked."""
from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style

from tutor.scenes.frame import Bars

from . import palette
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


def render_bars(bars: Bars, width: int, look: Look) -> list[list[Segment]]:
    n = len(bars.values)
    axis_w = max(len(_axis(bars.vmin, bars)), len(_axis(bars.vmax, bars))) + 1
    bw = max(1, min(4, (width - axis_w) // max(n, 1)))
    gap = 1 if bw >= 3 else 0
    fractions = [_fraction(float(v), bars) for v in bars.values]
    dim, warn = Style(dim=True), look.role("warn")
    overflow = Style(color="#f0e442", bold=True) if not look.mono else Style(bold=True)
    lines: list[list[Segment]] = [[Segment(bars.title, Style(bold=True)),
                                   Segment(f"  ({'log scale' if bars.log else 'linear'})", dim)]]
    levels = bars.height * 8
    for row in range(bars.height):
        label = _axis(bars.vmax, bars) if row == 0 else _axis(bars.vmin, bars) if row == bars.height - 1 else ""
        line = [Segment(label.rjust(axis_w - 1) + "┤" if label else " " * (axis_w - 1) + "│", dim)]
        floor = (bars.height - 1 - row) * 8  # eighths below this row
        for i, t in enumerate(fractions):
            if t is None:
                text = ("!" if row == 0 else "█") * (bw - gap)
                line.append(Segment(text, warn if row == 0 else overflow))
            else:
                filled = min(max(round(t * levels) - floor, 0), 8)
                # the bright three quarters of the ramp: short bars stay visible on dark themes
                color = palette.ramp("sequential", look.dark)[palette.level(0.3 + 0.7 * t, 0.0, 1.0)]
                style = Style(color=f"rgb({color[0]},{color[1]},{color[2]})", bold=i == bars.highlight)
                if look.mono:
                    style = Style(bold=i == bars.highlight)
                line.append(Segment(EIGHTHS[filled] * (bw - gap), style))
            if gap:
                line.append(Segment(" "))
        lines.append(line)
    lines.append(_x_labels(bars, axis_w, bw))
    if bars.highlight is not None and 0 <= bars.highlight < n:
        v = float(bars.values[bars.highlight])
        shown = "overflow (inf/NaN)" if not math.isfinite(v) else bars.fmt.format(v) + (f" {bars.unit}" if bars.unit else "")
        lines.append([Segment(f"{bars.labels[bars.highlight]}: ", dim), Segment(shown, Style(bold=True))])
    if any(t is None for t in fractions):
        lines.append([Segment("! ", warn), Segment("overflow: the value is inf or NaN", dim)])
    return lines


def _x_labels(bars: Bars, axis_w: int, bw: int) -> list[Segment]:
    """Labels under the bars, as many as fit without overlapping."""
    n = len(bars.labels)
    chars = [" "] * (n * bw + 8)
    widest = max((len(s) for s in bars.labels), default=1) + 1
    every = max(1, math.ceil(widest / bw))
    for i in range(0, n, every):
        for k, ch in enumerate(bars.labels[i]):
            if i * bw + k < len(chars):
                chars[i * bw + k] = ch
    return [Segment(" " * axis_w + "".join(chars).rstrip(), Style(dim=True))]
