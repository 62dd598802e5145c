"""Bars printed by `tutor show` fit the terminal: many bars share a column instead of running off the edge.

In the app a panel scrolls sideways, so bars keep one column each there;
a printed line cannot scroll, so render_bars(fit=True) groups runs of bars
into one column that draws the largest of them, overflow first.
"""
import os
import subprocess
import sys

import numpy as np
import pytest
from rich.cells import cell_len

from tutor.render.bars import render_bars
from tutor.render.look import Look
from tutor.frames import Bars, frozen


def texts(lines) -> list[str]:
    return ["".join(s.text for s in line) for line in lines]


def long_bars(n: int = 200, overflow_at: int | None = 5) -> Bars:
    values = np.logspace(-3, 4, n)
    if overflow_at is not None:
        values[:overflow_at] = np.nan
        values[overflow_at] = np.inf
    labels = tuple(str(t + 1) for t in range(n))
    return Bars("‖∂L/∂h_t‖ in float16 per step t, no clipping", labels, frozen(values), 1e-3, 1e5, log=True,
                highlight=0)


@pytest.mark.parametrize("width", [30, 50, 80, 120, 250])
def test_fitted_bars_stay_within_the_width(width):
    for look in (Look(), Look(mono=True)):
        lines = texts(render_bars(long_bars(), width, look, fit=True))
        assert max(cell_len(t) for t in lines) <= width, [t for t in lines if cell_len(t) > width][:2]


def test_a_shared_column_keeps_overflow_and_the_largest_value_and_says_so():
    lines = texts(render_bars(long_bars(), 80, Look(mono=True), fit=True))
    per = -(-200 // (80 - 6))                          # 200 bars in 74 columns: 3 a column
    assert f"max of {per} per column" in lines[0]
    top = lines[1][6:]
    assert top.startswith("!!") and top[2] != "!"      # steps 1-6 overflow: the first two columns
    assert lines[-2] == "1: overflow (inf/NaN)"        # the readout is the bar itself, not its column
    assert lines[-1].startswith("! overflow")
    n = 3 * 74                                         # every third bar full, the others empty
    peaks = Bars("b", tuple(map(str, range(n))), frozen(np.where(np.arange(n) % 3 == 1, 1e5, 1e-3)), 1e-3, 1e5,
                 log=True)
    top = texts(render_bars(peaks, 80, Look(mono=True), fit=True))[1]
    assert top[6:] == "█" * 74                          # each column is its run's largest bar


def test_a_few_bars_or_the_app_keep_one_column_each():
    short = texts(render_bars(long_bars(16, None), 80, Look(), fit=True))
    assert "per column" not in short[0]
    assert short == texts(render_bars(long_bars(16, None), 80, Look()))
    scrolled = texts(render_bars(long_bars(), 80, Look()))       # fit=False: the app scrolls sideways
    assert "per column" not in scrolled[0] and cell_len(scrolled[2]) == 6 + 200


def test_tutor_show_prints_a_long_walk_within_the_terminal():
    env = {**os.environ, "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    result = subprocess.run([sys.executable, "-m", "tutor", "show", "gradient_decay", "--length", "200", "--radius",
                             "3", "--seed", "2", "--dtype", "float16", "--clip", "true"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(t) for t in lines) <= 80, max(lines, key=cell_len)
    assert "!!" in result.stdout and "per column" in result.stdout
