"""CNN receptive field: the field read off the real network's gradient matches 1 + (k−1)·l."""
import numpy as np
import pytest

import engine
from engine.gradcheck import numerical_grad, rel_error
from engine.tokens import token_vectors
from tests.scenes.test_attention_common import render_frame
from tutor.scenes import cnn_receptive_field as crf
from tutor.scenes.registry import LONG_GAP, SCENES


def run(**values):
    return list(SCENES["cnn_receptive_field"].frames(values))


@pytest.mark.parametrize("kernel,layers,position", [(3, 4, 0), (2, 8, 0), (5, 3, 6), (7, 2, 1), (4, 5, 64)])
def test_gradient_field_agrees_with_the_formula(kernel, layers, position):
    frames = run(kernel=kernel, layers=layers, position=position)
    tokens = engine.tokenize(LONG_GAP)
    p, _ = crf.choose_position(position, tokens)
    assert len(frames) == layers + 1
    for l, frame in enumerate(frames):
        grid = frame.panels[0]
        assert grid.shape == (layers + 1, len(tokens)) and grid.mark_col == p
        assert np.isnan(grid.values[l + 1:]).all()
        for m in range(l + 1):
            seen = np.flatnonzero(grid.values[m] == 1)
            width = crf.formula_span(kernel, m)
            np.testing.assert_array_equal(seen, np.arange(max(p - width + 1, 0), p + 1))
        if l:
            assert f"= {crf.formula_span(kernel, l)}" in frame.caption


def test_last_word_skips_punctuation_and_positions_are_one_based():
    tokens = engine.tokenize(LONG_GAP)
    assert tokens[crf.choose_position(0, tokens)[0]] == "jumped"
    assert crf.choose_position(2, tokens) == (1, "")
    assert "past the end" in crf.choose_position(63, tokens)[1]
    final = run(kernel=3, layers=4, position=0)[-1]
    assert "needs ⌈15/(k−1)⌉ = 8 layers" in final.caption


def test_conv_backward_is_the_gradient_of_conv_forward():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, crf.CHANNELS))
    layers = crf.make_layers(2, 3, seed=1)
    w = rng.standard_normal((6, crf.CHANNELS))

    def loss():
        return float((crf.conv_forward(crf.conv_forward(x, layers[0])[0], layers[1])[0] * w).sum())

    y1, c1 = crf.conv_forward(x, layers[0])
    y2, c2 = crf.conv_forward(y1, layers[1])
    dx = crf.conv_backward(crf.conv_backward(w, y2, c2, layers[1]), y1, c1, layers[0])
    assert rel_error(dx, numerical_grad(loss, x)) < 1e-7


def test_influence_is_what_perturbing_a_word_changes():
    tokens = engine.tokenize("one two three four five six seven")
    x = token_vectors(tokens, crf.CHANNELS, seed=0)
    layers = crf.make_layers(2, 3, seed=0)
    sees = crf.influence(x, layers, position=5)[2] > 0

    def out(x_):
        return crf.conv_forward(crf.conv_forward(x_, layers[0])[0], layers[1])[0][5]

    for j in range(len(tokens)):
        bumped = x.copy()
        bumped[j] += 0.1
        assert (not np.allclose(out(bumped), out(x), rtol=0, atol=0)) == sees[j]


def test_edge_cases_are_data():
    assert run(sentence="")[0].panels == () and "no words" in run(sentence="")[0].caption
    one = run(sentence="hi", layers=3)
    assert len(one) == 4 and "nothing before it" in one[-1].caption
    long = run(sentence="w " * 300, layers=2)
    assert long[-1].panels[0].shape[1] == engine.MAX_TOKENS and "Only the first" in long[-1].caption
    for frame in (one[-1], long[-1], run(sentence="[/] [b]x[/b]")[-1]):
        render_frame(frame)


def test_frames_render():
    frames = run()
    for frame in (frames[0], frames[-1]):
        assert "jumped" in render_frame(frame, 80) or "jum" in render_frame(frame, 80)
