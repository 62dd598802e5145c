"""Color ramps for grids: color-blind-safe, for dark and light backgrounds.

Diverging (signed values): blue for negative, orange for positive, a neutral
middle that matches the background; blue/orange stays distinct under the
common forms of color blindness. Lightness moves steadily away from the
background on both sides and the two ends are equally light, so a value's
size reads the same whichever its sign. Sequential (weights, probabilities):
viridis, lightness rising from low to high.
"""
from __future__ import annotations

import math
from functools import lru_cache

LEVELS = 64
NEUTRAL = {True: "#262626", False: "#f7f7f7"}   # a diverging ramp's middle: the background, by theme

_ANCHORS = {
    # Blue (CIELAB hue 272°) and orange (66°) at equal lightness L* each side of the middle:
    # dark theme 78, 56, 34 out of a 15 middle; light theme 36, 58, 80 out of a 97 middle.
    ("diverging", True): ["#a0c3f8", "#408ad4", "#145287", NEUTRAL[True], "#71461c", "#c17421", "#ffb067"],
    ("diverging", False): ["#045792", "#478fda", "#b1c8ef", NEUTRAL[False], "#e8bf9c", "#c77926", "#804600"],
    ("sequential", True): ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"],
    ("sequential", False): ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"],
}
# Which end of the diverging ramp is dark on each theme matters for text on cells.


def _hex(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


@lru_cache(maxsize=8)
def ramp(palette: str, dark: bool = True) -> tuple[tuple[int, int, int], ...]:
    """LEVELS colors interpolated through the palette's anchors."""
    anchors = [_hex(c) for c in _ANCHORS[(palette, dark)]]
    out = []
    for i in range(LEVELS):
        pos = i / (LEVELS - 1) * (len(anchors) - 1)
        k = min(int(pos), len(anchors) - 2)
        f = pos - k
        a, b = anchors[k], anchors[k + 1]
        out.append(tuple(round(a[j] + (b[j] - a[j]) * f) for j in range(3)))
    return tuple(out)


def _fraction(value: float, vmin: float, vmax: float) -> float:
    """Where value lies in [vmin, vmax] as 0..1, clamped; 0.5 when undefined.

    Non-finite values, ranges and overflowing differences are data too: +inf
    lands at the top, -inf at the bottom, NaN or a broken range in the middle.
    """
    if not (math.isfinite(vmin) and math.isfinite(vmax)) or not vmax > vmin or value != value:
        return 0.5
    t = (value - vmin) / (vmax - vmin)  # floats overflow to inf here, never raise
    if t != t:
        return 0.5
    return min(max(t, 0.0), 1.0)


def level(value: float, vmin: float, vmax: float) -> int:
    """The ramp index of a value; out-of-range values clamp to the ends."""
    return int(_fraction(value, vmin, vmax) * (LEVELS - 1) + 0.5)


def readable_text(rgb: tuple[int, int, int]) -> str:
    """Black or white, whichever reads better on this background."""
    r, g, b = rgb
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


SHADES = " ░▒▓█"


def shade(value: float, vmin: float, vmax: float, signed: bool) -> str:
    """Two-character monochrome rendering of a value (NO_COLOR)."""
    if signed:
        m = max(abs(vmin), abs(vmax))
        k = int(_fraction(abs(value), 0.0, m) * 4 + 0.5) if m and value == value else 0
        return ("-" if value < 0 else "+") + SHADES[k] if k else "  "
    return SHADES[int(_fraction(value, vmin, vmax) * 4 + 0.5)] * 2
