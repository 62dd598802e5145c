"""sequential_vs_parallel: a frame per measurement, streaming; tiny sizes keep it fast (no timed asserts)."""

import numpy as np

from tutor.frames import Chart, Lines, Progress, Table
from tutor.scenes.registry import SCENES

from .test_attention_common import render_frame


def run(**params):
    return list(SCENES["sequential_vs_parallel"].frames(params))


def test_streams_one_frame_per_length():
    frames = run(max_length=48, hidden=8)
    assert len(frames) == 4                                   # the plan, then n = 16, 32, 48
    assert [f.final for f in frames] == [False, False, False, True]
    assert isinstance(frames[0].panels[0], Lines) and frames[0].panels[1] == Progress("timing", 0, 3)
    for k, f in enumerate(frames[1:], start=1):
        chain, progress, chart, table = f.panels
        assert isinstance(chart, Chart) and chart.log_y and isinstance(table, Table)
        assert (progress.done, progress.total) == (k, 3)
        assert [int(r[0]) for r in table.rows] == [16, 32, 48][:k]
        for series in chart.series:
            assert len(series.y) == k and np.all(np.isfinite(series.y)) and np.all(np.asarray(series.y) > 0)
            np.testing.assert_allclose(2 ** np.asarray(series.x), [16, 32, 48][:k])
        assert table.rows[-1][1] == str([16, 32, 48][k - 1]) and table.rows[-1][3] == "1"
    assert "48 steps" in " ".join(t for line in frames[-1].panels[0].lines for t, _ in line)
    for f in frames:
        render_frame(f)


def test_smallest_setting_is_one_measurement():
    frames = run(max_length=16, hidden=8)
    assert len(frames) == 2 and frames[-1].final
    assert "n = 16" in frames[-1].caption
    render_frame(frames[-1])
