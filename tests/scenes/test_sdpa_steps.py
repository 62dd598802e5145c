"""sdpa_steps: QKᵀ, ÷√d_k, softmax, weights·V — each grid is the engine's own number."""
import math

import numpy as np
import pytest

import engine
from engine.tokens import token_vectors
from tutor.scenes.attention_common import D_MODEL, projections
from tutor.frames import Row
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["sdpa_steps"].frames(params))


def grids(frame):
    return [g for row in frame.panels for g in row.panels]


@pytest.mark.parametrize("d_k", [1, 8, 64])
def test_four_grids_match_the_engine(d_k):
    tokens = ["Thinking", "machines", "pay", "attention"]
    frames = run(sentence=" ".join(tokens), d_k=d_k, seed=5)
    assert [len(grids(f)) for f in frames] == [1, 2, 3, 4]
    assert all(isinstance(p, Row) and len(p.panels) <= 2 for f in frames for p in f.panels)
    X = token_vectors(tokens, D_MODEL, seed=5)
    W = projections(D_MODEL, d_k, 5)
    Q, K, V = X @ W.W_q, X @ W.W_k, X @ W.W_v
    out, cache = engine.scaled_dot_product_attention(Q, K, V)
    scores, scaled, weights, output = (g.values for g in grids(frames[-1]))
    np.testing.assert_allclose(scores, Q @ K.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(scaled, Q @ K.T / math.sqrt(d_k), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(weights, cache.weights)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(output, weights @ V, atol=1e-12)
    np.testing.assert_array_equal(output, out)
    for g in grids(frames[-1])[:3]:
        assert g.row_labels == g.col_labels == tuple(tokens)
    assert grids(frames[-1])[3].shape == (4, d_k)
    assert all(g.fmt for g in grids(frames[-1]))
    assert "sums to 1" in frames[2].caption and f"√{d_k}" in frames[1].caption
    assert f"{output[0, 0]:+.4f}" in frames[3].caption
    for f in frames:
        assert_frozen(f)
        render_frame(f)


def test_empty_one_token_and_long_sentences():
    empty = run(sentence="  ")
    assert len(empty) == 1 and empty[0].panels == () and "no words" in empty[0].caption
    one = run(sentence="hello")
    np.testing.assert_allclose(grids(one[-1])[2].values, [[1.0]])
    long = run(sentence="word " * 200)
    assert grids(long[-1])[0].shape == (engine.MAX_TOKENS, engine.MAX_TOKENS)
    assert "Only the first" in long[-1].caption
    for f in one + long:
        render_frame(f)


def test_learner_text_stays_data():
    frames = run(sentence="[/] [@click=app.quit]x[/]")
    assert grids(frames[-1])[0].row_labels == tuple(engine.tokenize("[/] [@click=app.quit]x[/]"))
    render_frame(frames[-1])
