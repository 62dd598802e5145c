"""attention_cost: measured time and memory as n grows; sizes kept tiny (no timed asserts)."""
import numpy as np

from tutor.scenes import attention_cost as scene
from tutor.scenes.attention_common import attention_layer, human_bytes, rnn_layer
from tutor.frames import Chart, Progress, Row, Table
from tutor.scenes.registry import SCENES

from .test_attention_common import render_frame


def run(**params):
    return list(SCENES["attention_cost"].frames(params))


def test_streams_progress_charts_and_table():
    frames = run(max_length=96)
    sizes = [32, 64, 96]
    assert len(frames) == 4 and [f.final for f in frames] == [False, False, False, True]
    assert frames[0].panels == (Progress("measuring", 0, 3),)
    for k, f in enumerate(frames[1:], start=1):
        progress, charts, table = f.panels
        assert (progress.done, progress.total) == (k, 3)
        assert isinstance(charts, Row) and all(isinstance(c, Chart) and c.log_y for c in charts.panels)
        assert isinstance(table, Table) and [int(r[0]) for r in table.rows] == sizes[:k]
        for n, row in zip(sizes, table.rows):
            assert row[2] == human_bytes(n * n * 4) and row[5] == human_bytes(n * scene.WIDTH * 4)
        for chart in charts.panels:
            for series in chart.series:
                assert len(series.y) == k and np.all(np.asarray(series.y) > 0)
    for f in frames:
        render_frame(f)


def test_memory_is_measured_not_assumed():
    rnn, attention = rnn_layer(scene.WIDTH, dtype=np.float32), attention_layer(scene.WIDTH, dtype=np.float32)
    cost = scene.measure(128, rnn, attention)
    assert cost.weights_bytes == 128 * 128 * 4
    assert cost.attention_peak >= cost.weights_bytes          # the n×n matrix really is allocated
    assert cost.rnn_peak >= cost.states_bytes
    assert cost.attention_time > 0 and cost.rnn_time > 0
