"""Fused self-attention: the same numbers as MultiHeadAttention / TransformerEncoderLayer (float64)."""
import copy

import numpy as np
import pytest

from engine.attention import causal_mask
from engine.fused_self_attention import FusedEncoderLayer, FusedSelfAttention, fuse
from engine.gradcheck import numerical_grad, rel_error
from engine.transformer import TransformerEncoderLayer


@pytest.mark.parametrize("masked", [False, True])
def test_fused_layer_equals_the_layer_it_was_built_as(masked):
    plain = TransformerEncoderLayer(8, 2, 12, seed=3)
    fused = fuse(copy.deepcopy(plain))
    assert isinstance(fused, FusedEncoderLayer) and isinstance(fused.self_attn, FusedSelfAttention)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 3, 8))
    mask = causal_mask(5) if masked else None
    out_p, cache_p = plain.forward(x, mask)
    out_f, cache_f = fused.forward(x, mask)
    np.testing.assert_allclose(out_f, out_p, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(cache_f.weights, cache_p.weights, atol=1e-13)
    d = rng.standard_normal(out_p.shape)
    dx_p, g_p = plain.backward(d, cache_p)
    dx_f, g_f = fused.backward(d, cache_f)
    np.testing.assert_allclose(dx_f, dx_p, rtol=1e-10, atol=1e-12)
    assert g_f.keys() == g_p.keys()
    for name in g_p:
        np.testing.assert_allclose(g_f[name], g_p[name], rtol=1e-10, atol=1e-12, err_msg=name)


def test_fused_layer_gradients_by_finite_differences():
    layer = fuse(TransformerEncoderLayer(4, 2, 6, seed=1))
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((4, 2, 4)), rng.standard_normal((4, 2, 4))
    mask = causal_mask(4)

    def loss():
        return float((layer.forward(x, mask)[0] * w).sum())
    out, cache = layer.forward(x, mask)
    dx, grads = layer.backward(w, cache)
    assert rel_error(dx, numerical_grad(loss, x)) < 1e-6
    for name, p in layer.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-6, name


def test_cross_attention_falls_back_to_the_parent():
    attn = FusedSelfAttention(4, 2, seed=0)
    rng = np.random.default_rng(1)
    q, kv = rng.standard_normal((3, 2, 4)), rng.standard_normal((5, 2, 4))
    out, _ = attn.forward(q, kv, kv)
    assert out.shape == (3, 2, 4)


@pytest.mark.parametrize("case", ["large scores", "a row that sees nothing"])
def test_fused_attention_takes_the_general_path_where_its_own_does_not_apply(case):
    """Scores past the bound under which exp needs no shift, or a mask row that hides every
    key: the fused layer gives what the plain layer gives (and no NaN)."""
    import engine.fused_self_attention as fsa
    plain = TransformerEncoderLayer(8, 2, 12, seed=3)
    fused = fuse(copy.deepcopy(plain))
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5, 3, 8))
    mask = causal_mask(5)
    if case == "large scores":
        for layer in (plain, fused):
            layer.params["self_attn.in_proj_weight"] *= 30.0
    else:
        mask = mask.copy()
        mask[2] = True
    qkv = rng.standard_normal((5 * 3, 3 * 8)) * (1e3 if case == "large scores" else 1.0)  # (L·B, 3E)
    heads = qkv.reshape(5, 3, 3, 2, 4).transpose(2, 1, 3, 0, 4)  # (3, B, H, L, d_k)
    assert fsa._attend(qkv, heads, mask, np.empty((3, 2, 5, 4))) is None
    out_p, cache_p = plain.forward(x, mask)
    out_f, cache_f = fused.forward(x, mask)
    assert np.isfinite(out_f).all()
    np.testing.assert_allclose(out_f, out_p, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(cache_f.weights, cache_p.weights, atol=1e-13)


def test_fused_attention_without_a_shift_matches_the_shifted_softmax_on_large_scores(monkeypatch):
    """Scores up to ~60 (float32), past where a bound-first check would have shifted them but
    within exp's range: the fused layer exponentiates them unshifted and gives what the plain
    layer (which subtracts each row's maximum) gives, to float32 rounding."""
    import engine.fused_self_attention as fsa
    plain = TransformerEncoderLayer(8, 2, 12, seed=3, dtype=np.float32)
    plain.params["self_attn.in_proj_weight"] *= 6.0
    fused = fuse(copy.deepcopy(plain))
    x = np.random.default_rng(0).standard_normal((6, 3, 8)).astype(np.float32)
    taken = []
    attend = fsa._attend
    monkeypatch.setattr(fsa, "_attend", lambda *a, **k: taken.append(attend(*a, **k)) or taken[-1])
    out_p, cache_p = plain.forward(x, causal_mask(6))
    out_f, cache_f = fused.forward(x, causal_mask(6))
    assert taken and taken[0] is not None
    assert np.abs(cache_p.self_attn.scaled_scores[np.isfinite(cache_p.self_attn.scaled_scores)]).max() > 44
    np.testing.assert_allclose(out_f, out_p, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(cache_f.weights, cache_p.weights, atol=1e-6)
