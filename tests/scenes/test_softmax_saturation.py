"""softmax_saturation: unscaled softmax collapses as d_k grows; ÷√d_k keeps it spread."""
import math

import numpy as np

import engine
from engine.functional import softmax
from tutor.scenes import softmax_saturation as scene
from tutor.frames import Chart, Grid, Row
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["softmax_saturation"].frames(params))


def test_one_frame_per_power_of_two_and_growing_series():
    frames = run(max_dk=100)
    assert scene.dks(100) == [1, 2, 4, 8, 16, 32, 64]
    assert len(frames) == 7
    for k, f in enumerate(frames):
        charts, grid = f.panels
        assert isinstance(charts, Row) and isinstance(grid, Grid)
        for chart in charts.panels:
            assert isinstance(chart, Chart) and len(chart.series) == 2
            assert all(len(s.x) == k + 1 for s in chart.series)
        assert_frozen(f)
        render_frame(f)


def test_grid_shows_the_engines_weights_scaled_or_not():
    for scaled in (True, False):
        grid = run(max_dk=64, scaled=scaled, seed=3)[-1].panels[1]
        q, k = scene.queries_keys(64, 3)
        if scaled:
            _, cache = engine.scaled_dot_product_attention(q, k, np.eye(scene.N_KEYS))
            expected = cache.weights
        else:
            expected = softmax(q @ k.T)
        np.testing.assert_allclose(grid.values, expected[: scene.SHOWN], atol=1e-12)
        np.testing.assert_allclose(grid.values.sum(axis=1), 1.0, atol=1e-12)
        assert ("√64" in grid.title) == scaled


def test_unscaled_softmax_saturates_and_the_caption_says_so():
    frames = run(max_dk=512, seed=0)
    m = scene.measure(512, 0, True)
    scaled_max, unscaled_max = m.max_weight
    assert unscaled_max > 0.8 > 0.5 > scaled_max
    assert m.entropy[1] < m.entropy[0] and m.jacobian[1] < m.jacobian[0]
    assert abs(m.score_std / math.sqrt(512) - 1) < 0.1
    caption = frames[-1].caption
    for value in (f"{scaled_max:.2f}", f"{unscaled_max:.2f}", f"{m.score_std:.2f}"):
        assert value in caption
    chart = frames[-1].panels[0].panels[0]
    assert chart.series[1].y[-1] == unscaled_max and chart.series[0].y[-1] == scaled_max


def test_smallest_setting():
    frames = run(max_dk=4)
    assert len(frames) == 3
    render_frame(frames[-1])
