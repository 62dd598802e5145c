"""multi_head: each head's weights are the engine MultiHeadAttention's, in rows of two."""
import numpy as np
import pytest

import engine
from engine.tokens import token_vectors
from tutor.frames import Grid, Row, Table
from tutor.scenes.multi_head import HEAD_DIM
from tutor.scenes.registry import ANIMAL, SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["multi_head"].frames(params))


@pytest.mark.parametrize("heads", range(1, 9))
def test_heads_match_the_engine(heads):
    tokens = engine.tokenize(ANIMAL)
    frames = run(heads=heads, seed=1)
    assert len(frames) == heads
    E = heads * HEAD_DIM
    x = (token_vectors(tokens, E, seed=1) + engine.positional_encoding(len(tokens), E))[:, None, :]
    _, cache = engine.MultiHeadAttention(E, heads, seed=1).forward(x, x, x)
    *rows, table = frames[-1].panels
    assert all(isinstance(r, Row) and 1 <= len(r.panels) <= 2 for r in rows)
    grids = [g for r in rows for g in r.panels]
    assert len(grids) == heads and all(isinstance(g, Grid) for g in grids)
    for h, g in enumerate(grids):
        np.testing.assert_array_equal(g.values, cache.weights[0, h])
        np.testing.assert_allclose(g.values.sum(axis=1), 1.0, atol=1e-12)
        assert g.row_labels == g.col_labels == tuple(tokens)
    assert isinstance(table, Table) and len(table.rows) == heads
    for f in frames:
        assert_frozen(f)
        render_frame(f)


def test_caption_names_each_heads_strongest_pair():
    frames = run(heads=2, seed=0)
    w = frames[-1].panels[0].panels[1].values
    tokens = engine.tokenize(ANIMAL)
    off = np.where(np.eye(len(tokens), dtype=bool), -1, w)
    i, j = np.unravel_index(np.argmax(off), off.shape)
    assert f"{tokens[i]!r} → {tokens[j]!r} at {w[i, j]:.2f}" in frames[-1].caption
    assert "Untrained" in frames[-1].caption


def test_edge_cases():
    assert run(sentence="")[0].panels == ()
    one = run(sentence="it", heads=3)
    np.testing.assert_allclose(one[-1].panels[0].panels[0].values, [[1.0]])
    long = run(sentence="w " * 99, heads=8)
    assert "Only the first" in long[-1].caption
    for f in (one[-1], long[-1]):
        render_frame(f)
