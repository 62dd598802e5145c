"""Properties of attention and positional encoding, checked on generated inputs."""
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.attention import scaled_dot_product_attention

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def attention_inputs(draw):
    B, L, S, d = (draw(st.integers(1, n)) for n in (3, 6, 6, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.sampled_from([1e-3, 1.0, 30.0, 1e4]))  # tiny to overflow-sized scores
    rng = np.random.default_rng(seed)
    q, k, v = (rng.standard_normal(shape) * scale for shape in ((B, L, d), (B, S, d), (B, S, 2)))
    mask = rng.random((B, L, S)) < draw(st.floats(0, 1))
    return q, k, v, mask


@SETTINGS
@given(attention_inputs())
def test_rows_sum_to_one_and_masked_positions_get_exactly_zero(inputs):
    q, k, v, mask = inputs
    out, cache = scaled_dot_product_attention(q, k, v, attn_mask=mask)
    w = cache.weights
    assert np.all(np.isfinite(w)) and np.all(w >= 0)
    assert np.all(w[mask] == 0.0)
    open_rows = ~mask.all(-1)
    np.testing.assert_allclose(w.sum(-1)[open_rows], 1.0, rtol=1e-12)
    assert np.all(w.sum(-1)[~open_rows] == 0.0)  # nothing to attend: nothing attended


@SETTINGS
@given(attention_inputs(), st.sampled_from([np.float32, np.float64]))
def test_weights_do_not_depend_on_the_dtype_path(inputs, dtype):
    q, k, v, mask = inputs
    _, ref = scaled_dot_product_attention(q, k, v, attn_mask=mask)
    _, low = scaled_dot_product_attention(*(x.astype(dtype) for x in (q, k, v)), attn_mask=mask)
    assert low.weights.dtype == dtype
    np.testing.assert_allclose(low.weights, ref.weights, atol=1e-3 if dtype == np.float32 else 1e-9)


@SETTINGS
@given(st.integers(1, 6), st.integers(1, 3), st.integers(0, 2**32 - 1), st.data())
def test_self_attention_without_positions_is_permutation_equivariant(L, B, seed, data):
    rng = np.random.default_rng(seed)
    mha = engine.MultiHeadAttention(8, 2, seed=seed % 1000)
    layer = engine.TransformerEncoderLayer(8, 2, 12, seed=seed % 1000)
    x = rng.standard_normal((L, B, 8))
    perm = np.array(data.draw(st.permutations(range(L))))
    out, cache = mha.forward(x, x, x)
    out_p, cache_p = mha.forward(x[perm], x[perm], x[perm])
    np.testing.assert_allclose(out_p, out[perm], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(cache_p.weights, cache.weights[:, :, perm][..., perm], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.forward(x[perm])[0], layer.forward(x)[0][perm], rtol=1e-10, atol=1e-12)


@SETTINGS
@given(st.integers(1, 200), st.integers(1, 128))
def test_positional_encoding_is_bounded_and_matches_the_formula(length, d_model):
    pe = engine.positional_encoding(length, d_model)
    assert pe.shape == (length, d_model)
    assert np.all(np.abs(pe) <= 1.0)
    pos = length - 1
    for i in {0, d_model - 1, d_model // 2}:
        angle = pos / 10000 ** (2 * (i // 2) / d_model)
        assert math.isclose(pe[pos, i], math.sin(angle) if i % 2 == 0 else math.cos(angle), abs_tol=1e-12)
