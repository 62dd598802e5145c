"""Charts without color (NO_COLOR): each series has its own line pattern, and the legend says which."""
import numpy as np
import pytest

from tutor.render.chart import render_chart
from tutor.render.look import Look
from tutor.frames import Chart, Series, frozen

X = frozen(np.linspace(0, 1, 50))


def line(label: str, offset: float) -> Series:
    return Series(label, X, frozen(0.1 + 0.6 * X + offset))


def dots(lines, row_from: int = 1) -> int:
    """Braille dots drawn in the plot rows."""
    return sum(bin(ord(ch) - 0x2800).count("1") for segs in lines[row_from:-2] for seg in segs
               for ch in seg.text if 0x2800 < ord(ch) <= 0x28FF)


def chart(*series: Series) -> Chart:
    return Chart("loss", series, (0.0, 1.0), (0.0, 1.0), height=8)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_later_series_are_dashed_without_color_and_solid_with_it(k):
    alone = dots(render_chart(chart(line("a", 0.0)), 60, Look(mono=True)))
    # the same line as series k; the series before it lie flat along the bottom (clipped), their dots subtracted
    hidden = tuple(Series(f"h{i}", X, frozen(np.full(50, -5.0))) for i in range(k))
    both = (*hidden, line("a", 0.0))
    off = dots(render_chart(chart(*both), 60, Look(mono=True)))
    off -= dots(render_chart(chart(*hidden), 60, Look(mono=True)))
    assert 0.3 * alone < off < 0.85 * alone               # a dash pattern: clearly fewer dots, still a line
    colored = dots(render_chart(chart(*both), 60, Look())) - dots(render_chart(chart(*hidden), 60, Look()))
    assert colored == alone                               # in color the hue tells them apart


def test_the_legend_names_each_pattern():
    series = tuple(line(f"s{i}", 0.05 * i) for i in range(4))
    legend = "".join(seg.text for seg in render_chart(chart(*series), 70, Look(mono=True))[-1])
    keys = [legend[legend.index(f" s{i}") - 1] for i in range(4)]
    assert len(set(keys)) == 4 and keys[0] == "━"
    legend = "".join(seg.text for seg in render_chart(chart(*series), 70, Look())[-1])
    assert all(legend[legend.index(f" s{i}") - 1] == "━" for i in range(4))
