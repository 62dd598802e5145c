"""Multi-head attention: PyTorch's layout, per-head weights, gradients with and without masks."""
import numpy as np
import pytest

import engine
from engine.attention import causal_mask, scaled_dot_product_attention
from engine.gradcheck import numerical_grad, rel_error


def test_parameters_are_laid_out_like_pytorch():
    m = engine.MultiHeadAttention(8, 2, seed=0)
    shapes = {k: v.shape for k, v in m.state_dict().items()}
    assert shapes == {"in_proj_weight": (24, 8), "in_proj_bias": (24,),
                      "out_proj.weight": (8, 8), "out_proj.bias": (8,)}
    assert not m.params["in_proj_bias"].any() and not m.params["out_proj.bias"].any()
    with pytest.raises(ValueError):
        engine.MultiHeadAttention(6, 4)


def test_each_head_is_the_single_attention_function_on_its_slice():
    rng = np.random.default_rng(0)
    L, S, B, E, H = 3, 4, 2, 6, 3
    m = engine.MultiHeadAttention(E, H, seed=1)
    m.params["in_proj_bias"][:] = rng.standard_normal(3 * E)
    q, k, v = rng.standard_normal((L, B, E)), rng.standard_normal((S, B, E)), rng.standard_normal((S, B, E))
    out, cache = m.forward(q, k, v)
    assert out.shape == (L, B, E) and cache.weights.shape == (B, H, L, S)
    W, b = m.params["in_proj_weight"], m.params["in_proj_bias"]
    heads = []
    for h in range(H):
        rows = slice(h * 2, h * 2 + 2)
        proj = [x @ W[i * E:(i + 1) * E][rows].T + b[i * E:(i + 1) * E][rows] for i, x in enumerate((q, k, v))]
        o, c = scaled_dot_product_attention(*(p.transpose(1, 0, 2) for p in proj))  # (B, T, 2)
        np.testing.assert_allclose(cache.weights[:, h], c.weights, rtol=1e-12)
        heads.append(o.transpose(1, 0, 2))
    concat = np.concatenate(heads, axis=-1)  # (L, B, E)
    expected = concat @ m.params["out_proj.weight"].T + m.params["out_proj.bias"]
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-14)


MASKS = {
    "none": lambda L, S, B, H, rng: (None, None),
    "causal": lambda L, S, B, H, rng: (causal_mask(L, S), None),
    "padding": lambda L, S, B, H, rng: (None, np.arange(S)[None] >= np.array([[S], [S - 2]])),
    "per_head": lambda L, S, B, H, rng: (np.triu(np.ones((B * H, L, S), bool), 1) & (rng.random((B * H, L, S)) < .7),
                                         np.array([[False] * (S - 1) + [True], [False] * S])),
}


@pytest.mark.parametrize("masks", MASKS)
def test_backward_matches_finite_differences(masks):
    rng = np.random.default_rng(2)
    L, S, B, E, H = 3, 4, 2, 4, 2
    m = engine.MultiHeadAttention(E, H, seed=3)
    for p in m.params.values():
        p[...] = rng.standard_normal(p.shape) * 0.5  # non-zero biases too
    q, k, v = rng.standard_normal((L, B, E)), rng.standard_normal((S, B, E)), rng.standard_normal((S, B, E))
    attn_mask, pad = MASKS[masks](L, S, B, H, rng)
    w = rng.standard_normal((L, B, E))

    def loss():
        return float((m.forward(q, k, v, attn_mask, pad)[0] * w).sum())

    out, cache = m.forward(q, k, v, attn_mask, pad)
    dq, dk, dv, grads = m.backward(w, cache)
    for x, dx in ((q, dq), (k, dk), (v, dv)):
        assert rel_error(dx, numerical_grad(loss, x)) < 1e-7
    assert grads.keys() == m.state_dict().keys()
    for name, p in m.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-7, name
    if pad is not None:
        assert np.all(cache.weights[np.broadcast_to(pad[:, None, None, :], cache.weights.shape)] == 0)


def test_self_attention_gradient_is_the_sum_of_the_three_inputs():
    rng = np.random.default_rng(4)
    m = engine.MultiHeadAttention(4, 2, seed=0)
    x, w = rng.standard_normal((3, 2, 4)), rng.standard_normal((3, 2, 4))

    def loss():
        return float((m.forward(x, x, x)[0] * w).sum())

    dq, dk, dv, _ = m.backward(w, m.forward(x, x, x)[1])
    assert rel_error(dq + dk + dv, numerical_grad(loss, x)) < 1e-7


def test_float32_stays_float32():
    m = engine.MultiHeadAttention(8, 2, dtype=np.float32)
    x = np.ones((3, 2, 8), dtype=np.float32)
    out, cache = m.forward(x, x, x)
    dq, dk, dv, grads = m.backward(out, cache)
    assert {a.dtype for a in (out, cache.weights, dq, dk, dv, *grads.values())} == {np.dtype(np.float32)}


def test_state_dict_round_trip_and_seed():
    a, b = engine.MultiHeadAttention(4, 2, seed=1), engine.MultiHeadAttention(4, 2, seed=2)
    assert not np.allclose(a.params["in_proj_weight"], b.params["in_proj_weight"])
    b.load_state_dict(a.state_dict())
    x = np.random.default_rng(0).standard_normal((2, 1, 4))
    np.testing.assert_array_equal(a.forward(x, x, x)[0], b.forward(x, x, x)[0])


def test_non_contiguous_inputs():
    rng = np.random.default_rng(5)
    m = engine.MultiHeadAttention(4, 2, seed=0)
    x = np.asfortranarray(rng.standard_normal((3, 2, 4)))
    y = rng.standard_normal((2, 5, 4)).transpose(1, 0, 2)  # (5, 2, 4) view
    out, cache = m.forward(x, y, y)
    ref, ref_cache = m.forward(np.ascontiguousarray(x), np.ascontiguousarray(y), np.ascontiguousarray(y))
    np.testing.assert_allclose(out, ref, rtol=1e-13)
    for a, b in zip(m.backward(out, cache)[:3], m.backward(out, ref_cache)[:3]):
        np.testing.assert_allclose(a, b, rtol=1e-13)
