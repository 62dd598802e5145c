"""layer_norm: one token's activations before and after the engine's LayerNorm with γ and β."""
import numpy as np
import pytest

import engine
from engine.tokens import token_vectors
from tutor.scenes.attention_common import D_MODEL
from tutor.frames import Grid, Table
from tutor.scenes.layer_norm import WIDTH
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["layer_norm"].frames(params))


@pytest.mark.parametrize("gamma,beta", [(1.0, 0.0), (-2.0, 1.5), (0.25, -3.0)])
def test_rows_are_the_engines_layer_norm(gamma, beta):
    tokens = ["The", "cat", "sat"]
    frames = run(sentence="The cat sat", token=2, gamma=gamma, beta=beta, seed=4)
    assert len(frames) == 3
    pre, _ = engine.Linear(D_MODEL, WIDTH, seed=4).forward(token_vectors(tokens, D_MODEL, seed=4))
    h = np.maximum(pre, 0)
    norm = engine.LayerNorm(WIDTH)
    norm.load_state_dict({"weight": np.full(WIDTH, gamma), "bias": np.full(WIDTH, beta)})
    y, cache = norm.forward(h)
    grid, table = frames[-1].panels
    assert isinstance(grid, Grid) and isinstance(table, Table)
    np.testing.assert_array_equal(grid.values[0], h[1])
    np.testing.assert_array_equal(grid.values[1], cache.x_hat[1])
    np.testing.assert_array_equal(grid.values[2], y[1])
    assert abs(y[1].mean() - beta) < 1e-9 and abs(y[1].std() - abs(gamma)) < 1e-3
    assert h[1].mean() > 0 and h[1].std() > 0
    caption = " ".join(f.caption for f in frames) + table.title
    for text in (f"μ = {h[1].mean():.4f}", f"σ = {h[1].std():.4f}", f"γ = {gamma:g}", f"β = {beta:g}"):
        assert text in caption
    assert np.isnan(frames[0].panels[0].values[1:]).all()
    for f in frames:
        assert_frozen(f)
        render_frame(f)


def test_token_past_the_end_and_other_edges():
    frames = run(sentence="one two", token=9)
    assert "showing token 2" in frames[-1].caption and "'two'" in frames[-1].panels[0].title
    assert run(sentence="")[0].panels == ()
    long = run(sentence="a " * 80, token=64)
    assert "Only the first" in long[-1].caption
    for f in frames + long:
        render_frame(f)
