"""causal_mask: masked self-attention, exact zeros above the diagonal, one row at a time."""
import numpy as np

import engine
from engine.attention import causal_mask
from engine.tokens import token_vectors
from tutor.scenes.attention_common import D_MODEL, projections
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["causal_mask"].frames(params))


def test_upper_triangle_is_exactly_zero_and_matches_the_engine():
    sentence = "The animal didn't cross the street because it was tired"
    tokens = engine.tokenize(sentence)
    T = len(tokens)
    frames = run(sentence=sentence, seed=6)
    assert len(frames) == T
    X = token_vectors(tokens, D_MODEL, seed=6) + engine.positional_encoding(T, D_MODEL)
    W = projections(D_MODEL, D_MODEL, 6)
    _, cache = engine.scaled_dot_product_attention(X @ W.W_q, X @ W.W_k, X @ W.W_v,
                                                   attn_mask=causal_mask(T))
    (row,) = frames[-1].panels
    scores, weights = row.panels
    np.testing.assert_array_equal(weights.values, cache.weights)
    upper = np.triu(np.ones((T, T), dtype=bool), k=1)
    assert (weights.values[upper] == 0.0).all()
    assert (weights.values[~upper] > 0).all()
    assert np.isneginf(scores.values[upper]).all()
    np.testing.assert_allclose(weights.values.sum(axis=1), 1.0, atol=1e-12)
    assert "masked" in frames[-1].caption and "exactly 0" in frames[-1].caption
    for t, f in enumerate(frames):
        grid = f.panels[0].panels[1]
        assert grid.mark_row == t and np.isnan(grid.values[t + 1:]).all()
        np.testing.assert_array_equal(grid.values[: t + 1], cache.weights[: t + 1])
        assert_frozen(f)
        render_frame(f)


def test_first_position_sees_only_itself():
    frames = run(seed=0)
    np.testing.assert_allclose(frames[0].panels[0].panels[1].values[0, 0], 1.0)


def test_edge_cases():
    assert run(sentence="")[0].panels == ()
    one = run(sentence="ciao")
    assert len(one) == 1
    np.testing.assert_allclose(one[0].panels[0].panels[1].values, [[1.0]])
    long = run(sentence="t " * 70)
    assert len(long) == engine.MAX_TOKENS and "Only the first" in long[-1].caption
    for f in one + long[-1:]:
        render_frame(f)
