"""self_attention: the sentence's attention matrix, row by row, from the engine's numbers."""
import numpy as np

import engine
from engine.tokens import token_vectors
from tutor.scenes.attention_common import D_MODEL, projections
from tutor.scenes.registry import ANIMAL, SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["self_attention"].frames(params))


def engine_weights(tokens, seed):
    X = token_vectors(tokens, D_MODEL, seed=seed) + engine.positional_encoding(len(tokens), D_MODEL)
    W = projections(D_MODEL, D_MODEL, seed)
    _, cache = engine.scaled_dot_product_attention(X @ W.W_q, X @ W.W_k, X @ W.W_v)
    return cache.weights


def test_rows_fill_in_one_by_one_with_the_engines_weights():
    tokens = engine.tokenize(ANIMAL)
    frames = run(seed=2)
    T = len(tokens)
    assert len(frames) == T + 1
    w = engine_weights(tokens, 2)
    for t, f in enumerate(frames[:T]):
        (grid,) = f.panels
        np.testing.assert_array_equal(grid.values[: t + 1], w[: t + 1])
        assert np.isnan(grid.values[t + 1:]).all() and grid.mark_row == t
        assert_frozen(f)
    final = frames[-1].panels[0]
    np.testing.assert_array_equal(final.values, w)
    np.testing.assert_allclose(final.values.sum(axis=1), 1.0, atol=1e-12)
    assert final.row_labels == final.col_labels == tuple(tokens)
    assert (final.vmin, final.vmax, final.palette) == (0.0, 1.0, "sequential")
    for f in frames:
        render_frame(f)


def test_caption_names_the_top_three_keys_of_it():
    frames = run(seed=0)
    tokens = engine.tokenize(ANIMAL)
    w = engine_weights(tokens, 0)
    it = tokens.index("it")
    assert frames[-1].panels[0].mark_row == it
    top = np.argsort(-w[it])[:3]
    caption = frames[-1].caption
    assert "Row 'it'" in caption and "Untrained" in caption
    for j in top:
        assert f"{tokens[j]!r} {w[it, j]:.2f}" in caption


def test_edge_cases_are_data():
    assert run(sentence="")[0].panels == ()
    one = run(sentence="it")
    np.testing.assert_allclose(one[-1].panels[0].values, [[1.0]])
    long = run(sentence="a b " * 50)
    assert long[-1].panels[0].shape == (engine.MAX_TOKENS, engine.MAX_TOKENS) and "Only the first" in long[-1].caption
    odd = run(sentence="[/] [@click=app.quit]x[/] [b]")
    for f in (one[-1], long[-1], odd[-1]):
        render_frame(f)
