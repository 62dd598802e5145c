"""block_flow: one token's vector at every stage of an engine TransformerEncoderLayer, from its cache."""
import numpy as np

import engine
from engine.tokens import token_vectors
from tutor.scenes import block_flow as bf
from tutor.scenes.attention_common import D_MODEL
from tutor.frames import Grid, Table
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["block_flow"].frames(params))


def test_stages_are_the_layers_cached_activations():
    sentence, seed, token = "The cat sat on the mat", 5, 2
    tokens = engine.tokenize(sentence)
    X = token_vectors(tokens, D_MODEL, seed=seed) + engine.positional_encoding(len(tokens), D_MODEL)
    layer = engine.TransformerEncoderLayer(D_MODEL, 2, 32, seed=seed)
    out, cache = layer.forward(X[:, None, :])
    frames = run(sentence=sentence, token=token, seed=seed)
    assert len(frames) == 7
    grid, table = frames[-1].panels
    assert isinstance(grid, Grid) and isinstance(table, Table)
    assert grid.row_labels == bf.STAGES and grid.shape == (7, D_MODEL) and grid.palette == "diverging"
    t = token - 1
    v = grid.values
    np.testing.assert_array_equal(v[0], X[t])
    np.testing.assert_array_equal(v[2], cache.norm1.x[t, 0])              # x + attention, pre-norm
    np.testing.assert_array_equal(v[3], cache.norm1.y[t, 0])              # post-norm
    np.testing.assert_array_equal(v[5], cache.norm2.x[t, 0])
    np.testing.assert_array_equal(v[6], out[t, 0])
    # the sublayer outputs, checked against the sublayers run on their own
    sa, _ = layer.self_attn.forward(X[:, None], X[:, None], X[:, None])
    ff, _ = layer.ff.forward(cache.norm1.y)
    np.testing.assert_allclose(v[1], sa[t, 0], atol=1e-12)
    np.testing.assert_allclose(v[4], ff[t, 0], atol=1e-12)
    np.testing.assert_array_equal(v[0] + v[1], v[2])                       # the residual, exactly
    np.testing.assert_array_equal(v[3] + v[4], v[5])
    # layer norm brings mean to ≈ 0 and std to ≈ 1 (γ = 1, β = 0)
    for k in (3, 6):
        assert abs(v[k].mean()) < 1e-12 and abs(v[k].std() - 1) < 1e-4
        assert table.rows[k][1] == "+0.0000" and table.rows[k][2] == "1.0000"
    assert "'cat'" in frames[0].caption
    weights = cache.weights[0, :, t].mean(axis=0)
    j = int(np.argmax(weights))
    assert f"{tokens[j]!r} {weights[j]:.2f}" in frames[1].caption


def test_stages_fill_in_one_per_frame():
    frames = run()
    for k, frame in enumerate(frames):
        grid, table = frame.panels
        assert grid.mark_row == k and np.isnan(grid.values[k + 1:]).all()
        assert not np.isnan(grid.values[: k + 1]).any()
        assert table.highlight_row == k and table.rows[k + 1:] == tuple(
            (s, "·", "·", "·") for s in bf.STAGE_NAMES[k + 1:])
        limit = grid.vmax
        assert grid.vmin == -limit and np.nanmax(np.abs(frames[-1].panels[0].values)) == limit
        assert_frozen(frame)
        render_frame(frame)


def test_token_is_clamped_and_edge_cases():
    frames = run(sentence="The cat sat", token=64)
    assert "Token 64 asked" in frames[-1].caption and "token 3/3 'sat'" in frames[-1].caption
    assert run(sentence="  ")[0].panels == ()
    one = run(sentence="ciao")
    assert len(one) == 7 and "attend to itself" in one[1].caption
    long = run(sentence="w " * 80, token=64)
    assert "Only the first 64" in long[-1].caption and "token 64/64" in long[-1].caption
    for frame in (one[-1], long[-1]):
        render_frame(frame)
