"""tanh chart: the marked points are the engine RNN's pre-activations, step by step."""
import numpy as np

import engine
from engine.tokens import token_vectors
from tests.scenes.test_attention_common import render_frame
from tutor.scenes import tanh_chart as tc
from tutor.frames import Bars, Chart
from tutor.scenes.recurrent_common import INPUT_SIZE
from tutor.scenes.registry import SCENES


def run(**values):
    return list(SCENES["tanh_chart"].frames(values))


def engine_pre(sentence, scale, hidden, seed):
    tokens = engine.tokenize(sentence)
    model = engine.RNN(INPUT_SIZE, hidden, seed=seed)
    model.params["weight_ih"] *= scale
    model.params["weight_hh"] *= scale
    _, cache = model.forward(token_vectors(tokens, INPUT_SIZE, seed=seed)[:, None, :])
    return cache.pre[:, 0, :]


def test_points_are_the_pre_activations_of_each_step():
    frames = run(sentence="The cat sat on the mat", scale=2.5, hidden=6, seed=4)
    pre = engine_pre("The cat sat on the mat", 2.5, 6, 4)
    assert len(frames) == 6
    for t, frame in enumerate(frames):
        chart, bars = frame.panels
        assert isinstance(chart, Chart) and isinstance(bars, Bars)
        tanh_curve, slope_curve, on_tanh, on_slope = chart.series
        np.testing.assert_allclose(tanh_curve.y, np.tanh(tanh_curve.x))
        np.testing.assert_allclose(slope_curve.y, 1 - np.tanh(slope_curve.x) ** 2)
        assert on_tanh.points and on_slope.points
        centre = slice(0, None, tc.MARKER)
        np.testing.assert_allclose(on_tanh.x[centre], np.clip(pre[t], -4, 4))
        np.testing.assert_allclose(on_tanh.y[centre], np.tanh(pre[t]))
        np.testing.assert_allclose(on_slope.y[centre], 1 - np.tanh(pre[t]) ** 2)
        np.testing.assert_allclose(bars.values, 1 - np.tanh(pre[t]) ** 2)
        assert f"mean tanh′ = {np.mean(1 - np.tanh(pre[t]) ** 2):.3f}" in frame.caption


def test_larger_weights_saturate():
    def mean_slope(scale):
        pre = engine_pre("The cat sat on the mat", scale, 8, 0)
        return np.mean(1 - np.tanh(pre) ** 2)
    assert mean_slope(5.0) < mean_slope(1.0) < mean_slope(0.1)
    final = run(scale=5.0)[-1]
    assert "saturated" in final.caption and "beyond ±4" in final.caption


def test_edge_cases_are_data():
    empty = run(sentence="")
    assert len(empty) == 1 and len(empty[0].panels[0].series) == 2 and "no words" in empty[0].caption
    long = run(sentence="word " * 100, hidden=2)
    assert len(long) == engine.MAX_TOKENS and "Only the first" in long[-1].caption
    one = run(sentence="[/]", hidden=32, scale=5.0)  # markup is just three symbol tokens
    assert len(one) == 3 and "'['" in one[0].caption
    for frame in (empty[0], long[-1], one[0]):
        render_frame(frame)


def test_frames_render():
    frames = run()
    for frame in (frames[0], frames[-1]):
        text = render_frame(frame, 80)
        assert "tanh′(a_t) per unit" in text
    render_frame(frames[-1], 120)
