"""The color ramps: lightness says how big a value is, on both themes.

Lightness is CIELAB L*, from the sRGB colors the ramps give the terminal.
A diverging ramp's middle matches the background; moving out to either end
the contrast with the background must grow at every level, and the two ends
must be about equally light so a large negative value weighs as much as a
large positive one. A sequential ramp grows lighter from low to high.
"""
import pytest

from tutor.render import palette

TOLERANCE = 3.0   # L* between the two ends of a diverging ramp


def lightness(rgb: tuple[int, int, int]) -> float:
    def linear(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in rgb)
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 116 * y ** (1 / 3) - 16 if y > 216 / 24389 else 24389 / 27 * y


@pytest.mark.parametrize("dark", [True, False], ids=["dark", "light"])
def test_diverging_contrast_grows_steadily_out_to_both_ends(dark):
    L = [lightness(c) for c in palette.ramp("diverging", dark)]
    mid = palette.LEVELS // 2           # levels mid-1 and mid straddle zero
    away = (lambda a, b: b > a) if dark else (lambda a, b: b < a)   # away from the background
    background = lightness(palette._hex(palette.NEUTRAL[dark]))
    positive = [background] + L[mid:]
    negative = [background] + L[:mid][::-1]
    for side, name in ((positive, "positive"), (negative, "negative")):
        steps = [(i, a, b) for i, (a, b) in enumerate(zip(side, side[1:])) if not away(a, b)]
        assert not steps, f"{name} side turns back toward the background: {steps[:3]}"
    assert abs(L[0] - L[-1]) <= TOLERANCE, (L[0], L[-1])
    assert abs(L[0] - L[mid]) > 40 and abs(L[-1] - L[mid]) > 40   # the ends stand well out


@pytest.mark.parametrize("dark", [True, False], ids=["dark", "light"])
def test_sequential_grows_lighter_from_low_to_high(dark):
    L = [lightness(c) for c in palette.ramp("sequential", dark)]
    assert all(b > a for a, b in zip(L, L[1:])), L


def test_the_dark_middle_is_the_background_and_ends_are_distinct_hues():
    ramp = palette.ramp("diverging", True)
    lo, hi = ramp[0], ramp[-1]
    assert lo[2] > lo[0] and hi[0] > hi[2]   # blue for negative, orange for positive
