"""Scaled dot-product and additive attention: by hand, masks, gradients."""
import math
import warnings

import numpy as np
import pytest

import engine
from engine.attention import (causal_mask, masked_softmax, scaled_dot_product_attention,
                              scaled_dot_product_attention_backward)
from engine.gradcheck import numerical_grad, rel_error


def test_matches_the_formula_by_hand():
    rng = np.random.default_rng(0)
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    out, cache = scaled_dot_product_attention(q, k, v)
    s = q @ k.T / math.sqrt(4)
    w = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(cache.weights, w, rtol=1e-12)
    np.testing.assert_allclose(out, w @ v, rtol=1e-12)
    np.testing.assert_allclose(cache.scores, q @ k.T, rtol=1e-12)
    np.testing.assert_allclose(cache.scaled_scores, s, rtol=1e-12)


def test_causal_and_padding_masks_zero_exactly_the_blocked_weights():
    rng = np.random.default_rng(1)
    B, L, d = 2, 4, 3
    q, k, v = (rng.standard_normal((B, L, d)) for _ in range(3))
    pad = np.array([[False] * 4, [False, False, True, True]])
    _, cache = scaled_dot_product_attention(q, k, v, key_padding_mask=pad, is_causal=True)
    blocked = causal_mask(L)[None] | pad[:, None, :]
    assert np.all(cache.weights[blocked] == 0.0)
    np.testing.assert_allclose(cache.weights.sum(-1), 1.0, rtol=1e-12)
    assert np.all(np.isneginf(cache.scaled_scores[blocked]))
    _, same = scaled_dot_product_attention(q, k, v, attn_mask=blocked)  # one explicit mask
    np.testing.assert_array_equal(cache.weights, same.weights)


def test_fully_masked_rows_attend_to_nothing_without_warnings():
    rng = np.random.default_rng(2)
    q, k, v = (rng.standard_normal((2, 3, 4)) for _ in range(3))
    mask = np.zeros((3, 3), dtype=bool)
    mask[1] = True  # query 1 may see nothing
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, cache = scaled_dot_product_attention(q, k, v, attn_mask=mask)
        dq, dk, dv = scaled_dot_product_attention_backward(np.ones_like(out), cache)
    assert np.all(cache.weights[:, 1] == 0.0) and np.all(out[:, 1] == 0.0)
    assert np.all(dq[:, 1] == 0.0)
    assert all(np.isfinite(g).all() for g in (dq, dk, dv))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_without_the_max_shift_agrees_with_the_shifted_one(dtype):
    rng = np.random.default_rng(3)
    s = rng.standard_normal((4, 5, 6)).astype(dtype) * 5
    mask = rng.random((4, 5, 6)) < 0.3
    shifted = masked_softmax(s.copy(), mask, scale=0.5)  # bound unknown: subtracts the row max
    fast = masked_softmax(s.copy(), mask, scale=0.5, bound=0.5 * np.abs(s).max())
    np.testing.assert_allclose(fast, shifted, rtol=1e-5 if dtype == np.float32 else 1e-13)


def test_large_scores_stay_finite():
    q = np.full((1, 2, 4), 1e3)
    k = np.full((1, 3, 4), 1e3)
    out, cache = scaled_dot_product_attention(q, k, np.ones((1, 3, 2)))
    np.testing.assert_allclose(cache.weights, 1 / 3)


@pytest.mark.parametrize("masked", [False, True])
def test_sdpa_backward_matches_finite_differences(masked):
    rng = np.random.default_rng(4)
    B, H, L, S, d = 2, 2, 3, 4, 3
    q, k = rng.standard_normal((B, H, L, d)), rng.standard_normal((B, H, S, d))
    v, w = rng.standard_normal((B, H, S, 2)), rng.standard_normal((B, H, L, 2))
    attn = causal_mask(L, S) if masked else None
    pad = np.array([[False, False, False, True], [False] * 4]) if masked else None

    def loss():
        return float((scaled_dot_product_attention(q, k, v, attn, pad)[0] * w).sum())

    out, cache = scaled_dot_product_attention(q, k, v, attn, pad)
    for x, dx in zip((q, k, v), scaled_dot_product_attention_backward(w, cache)):
        assert rel_error(dx, numerical_grad(loss, x)) < 1e-7


@pytest.mark.parametrize("masked", [False, True])
def test_additive_attention_backward_matches_finite_differences(masked):
    rng = np.random.default_rng(5)
    L, S, B = 2, 4, 3
    m = engine.AdditiveAttention(query_size=3, key_size=5, hidden_size=4, seed=1)
    query, keys, values = rng.standard_normal((L, B, 3)), rng.standard_normal((S, B, 5)), rng.standard_normal((S, B, 2))
    pad = np.array([[False] * 4, [False, False, True, True], [False, True, True, True]]) if masked else None
    w = rng.standard_normal((L, B, 2))

    def loss():
        return float((m.forward(query, keys, values, pad)[0] * w).sum())

    out, cache = m.forward(query, keys, values, pad)
    assert out.shape == (L, B, 2) and cache.weights.shape == (B, L, S)
    if masked:
        assert np.all(cache.weights[pad[:, None, :].repeat(L, 1)] == 0.0)
    d_query, d_keys, d_values, grads = m.backward(w, cache)
    for x, dx in ((query, d_query), (keys, d_keys), (values, d_values)):
        assert rel_error(dx, numerical_grad(loss, x)) < 1e-7
    assert grads.keys() == m.state_dict().keys() == {"W_q.weight", "W_k.weight", "w_v.weight"}
    for name, p in m.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-7, name


def test_additive_attention_scores_are_the_energies():
    rng = np.random.default_rng(6)
    m = engine.AdditiveAttention(2, 2, 3, seed=0)
    s, h = rng.standard_normal((1, 1, 2)), rng.standard_normal((4, 1, 2))
    _, cache = m.forward(s, h, h)
    W_q, W_k, w_v = (m.params[n] for n in ("W_q.weight", "W_k.weight", "w_v.weight"))
    e = np.array([w_v[0] @ np.tanh(W_q @ s[0, 0] + W_k @ h[j, 0]) for j in range(4)])
    np.testing.assert_allclose(cache.scores[0, 0], e, rtol=1e-12)
    np.testing.assert_allclose(cache.weights[0, 0], np.exp(e) / np.exp(e).sum(), rtol=1e-12)


def test_huge_float32_inputs_take_the_safe_path_without_warnings():
    q = np.full((1, 2, 4), 1e20, dtype=np.float32)  # q·q overflows float32
    k = np.ones((1, 3, 4), dtype=np.float32)
    k[0, 1] = 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, cache = scaled_dot_product_attention(q, k, np.ones((1, 3, 2), dtype=np.float32))
    np.testing.assert_array_equal(cache.weights[0], [[0, 1, 0], [0, 1, 0]])


@pytest.mark.parametrize("L,S", [(0, 3), (3, 0), (0, 0)])
def test_empty_sequences_are_data_not_errors(L, S):
    rng = np.random.default_rng(0)
    q, k, v = rng.standard_normal((2, L, 4)), rng.standard_normal((2, S, 4)), rng.standard_normal((2, S, 5))
    out, cache = engine.scaled_dot_product_attention(q, k, v)
    assert out.shape == (2, L, 5) and cache.weights.shape == (2, L, S)
    assert not out.any()
    dq, dk, dv = scaled_dot_product_attention_backward(np.ones_like(out), cache)
    assert dq.shape == q.shape and dk.shape == k.shape and dv.shape == v.shape


def test_products_done_by_halves_equal_the_whole_product():
    from engine.attention import _HALVES_MNK, _matmul
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 127, 64)).astype(np.float32)  # an odd number of rows
    b = rng.standard_normal((3, 128, 64)).astype(np.float32).swapaxes(-1, -2)  # a transposed view, like kᵀ
    assert _HALVES_MNK[0] < 127 * 64 * 128 <= _HALVES_MNK[1]  # the halves path, not np.matmul's
    expected = np.matmul(a.astype(np.float64), b.astype(np.float64))
    np.testing.assert_allclose(_matmul(a, b), expected, rtol=1e-4, atol=1e-4)
    out = np.full((3, 127, 256), np.nan, dtype=np.float32)[..., ::2]  # a strided buffer
    assert _matmul(a, b, out=out) is out
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("buffers", [False, True], ids=["allocated", "out"])
def test_float32_at_the_split_sizes_matches_float64(buffers):
    """n = 128, d = 64 in float32 is where products are done by halves; both code paths."""
    rng = np.random.default_rng(3)
    q, k, v, g = (rng.standard_normal((2, 128, 64)) for _ in range(4))

    def run(dtype):
        x = [t.astype(dtype) for t in (q, k, v, g)]
        out = np.empty_like(x[0]) if buffers else None
        o, cache = scaled_dot_product_attention(*x[:3], out=out)
        grads = scaled_dot_product_attention_backward(
            x[3], cache, out=tuple(np.empty_like(t) for t in x[:3]) if buffers else None)
        return o, cache.weights, *grads

    for low, high in zip(run(np.float32), run(np.float64)):
        assert low.dtype == np.float32
        np.testing.assert_allclose(low, high, rtol=1e-3, atol=1e-4)
