"""Self-attention with the three input projections fused, for the language model's Transformer.

When query, key and value are one tensor x (self-attention), Q, K and V come
from one product x·W_inᵀ (N, 3E) instead of three, and in backward the input
gradient and the weight gradient of all three are one product each:

    d_x = [dQ dK dV]·W_in        dW_in = [dQ dK dV]ᵀ·x

FusedSelfAttention and FusedEncoderLayer are MultiHeadAttention and
TransformerEncoderLayer with these passes (same parameters, same names, same
caches); anything else (cross-attention, a key padding mask) goes to the
parent's code. `fuse(layer)` switches a built TransformerEncoderLayer over in
place, so a model keeps its parameters and its seeds.
"""
from __future__ import annotations

import math

import numpy as np

from .attention import (AttentionCache, scaled_dot_product_attention,
                        scaled_dot_product_attention_backward, softmax_backward)
from .module import prefixed
from .multihead import MultiHeadAttention, MultiheadAttentionCache
from .transformer import EncoderLayerCache, TransformerEncoderLayer


class FusedSelfAttention(MultiHeadAttention):
    def forward(self, query, key, value, attn_mask=None, key_padding_mask=None):
        if not (query is key is value) or key_padding_mask is not None or np.ndim(attn_mask) == 3:
            return super().forward(query, key, value, attn_mask, key_padding_mask)
        L, B, E = query.shape
        H = self.num_heads
        qkv = query.reshape(L * B, E) @ self.params["in_proj_weight"].T  # (N, 3E)
        qkv += self.params["in_proj_bias"]
        # q, k, v as views (3, B, H, L, hd): the products take strided blocks about as fast
        # as contiguous ones (~4% slower), and a contiguous copy took 64 µs of ~0.6 ms
        heads = qkv.reshape(L, B, 3, H, E // H).transpose(2, 1, 3, 0, 4)
        concat = np.empty((L, B, E), dtype=qkv.dtype)
        attn = _attend(qkv, heads, attn_mask, out=self._heads(concat))
        if attn is None:
            _, attn = scaled_dot_product_attention(heads[0], heads[1], heads[2], attn_mask, None,
                                                   out=self._heads(concat))
        out, out_cache = self.out_proj.forward(concat.reshape(L * B, E))
        return out.reshape(L, B, E), MultiheadAttentionCache(query, key, value, attn, out_cache)

    def backward_self(self, d_output: np.ndarray, cache: MultiheadAttentionCache):
        """Backward of a self-attention forward: (d_x, grads), d_x the whole gradient
        w.r.t. the one input (what backward's d_query + d_key + d_value would sum to)."""
        L, B, E = d_output.shape
        H = self.num_heads
        d_concat, g_out = self.out_proj.backward(d_output.reshape(L * B, E), cache.out_proj)
        # dq, dk, dv written straight into the rows of d_qkv (N, 3E) through views
        # (3, B, H, L, hd): no copy from a head-major array
        d_qkv = np.empty((L, B, 3, H, E // H), dtype=d_concat.dtype)
        _attend_backward(self._heads(d_concat.reshape(L, B, E)), cache.attn,
                         d_qkv.transpose(2, 1, 3, 0, 4))
        d_qkv = d_qkv.reshape(L * B, 3 * E)
        x = cache.query.reshape(L * B, E)
        grads = {"in_proj_weight": d_qkv.T @ x,
                 "in_proj_bias": np.ones(L * B, dtype=d_qkv.dtype) @ d_qkv,
                 **prefixed("out_proj", g_out)}
        return (d_qkv @ self.params["in_proj_weight"]).reshape(L, B, E), grads


# The row sums of unshifted exponentials that _attend accepts: finite, and large enough that
# every row's largest term is a normal float (whatever underflows is below 2⁻⁶⁰ of its row).
_SMALLEST_TOTAL = 2.0 ** -60


def _attend(qkv: np.ndarray, heads: np.ndarray, mask: np.ndarray | None, out: np.ndarray):
    """softmax(QKᵀ/√d_k)·V written into `out` (B, H, L, d_k), for q, k, v = heads (3, B, H, L, d_k)
    (views of the rows of qkv (N, 3E)) and a bool mask (L, L) or None; None when the scores
    were too large or too small for exp without a shift (or a mask row sees nothing): the
    caller then takes scaled_dot_product_attention, which shifts by the rows' maxima.

    Softmax is shift-invariant; floating point is too, as long as nothing overflows or
    underflows, which the row sums show afterwards (checking a bound on |q·k| first took
    60 µs, as long as the rest). The mask is applied by multiplying with its complement
    after exp. In the language model's layers (B·H = 64 blocks of 64×64, float32) the general
    function's bound and masked copy took ~0.3 ms of its 0.6-0.75 ms."""
    _, B, H, L, hd = heads.shape
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != (L, L) or mask.all(axis=1).any():
            return None
    dtype = heads.dtype
    scale = 1.0 / math.sqrt(hd)
    q, k, v = heads
    weights = np.matmul(q, k.swapaxes(-1, -2))  # (B, H, L, L)
    weights *= scale / math.log(2.0)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        np.exp2(weights, out=weights)  # exp(x) = 2^(x·log₂e)
        if mask is not None:
            weights *= (~mask).astype(dtype)  # exactly 0 where masked (NaN where inf was masked)
    total = weights @ np.ones(L, dtype=dtype)  # (B, H, L) row sums
    if not (np.isfinite(total).all() and total.min() >= _SMALLEST_TOTAL):
        return None
    weights *= np.reciprocal(total, out=total)[..., None]
    np.matmul(weights, v, out=out)
    return AttentionCache(q, k, v, weights, mask, scale)


def _attend_backward(g: np.ndarray, attn: AttentionCache, out: np.ndarray) -> None:
    """scaled_dot_product_attention_backward for blocks (B, H, L, d_k), written into the views
    out = (dq, dk, dv) (3, B, H, L, d_k); 1/√d_k is folded into k and q before their products."""
    if 0 in attn.weights.shape[-2:]:
        scaled_dot_product_attention_backward(g, attn, out=tuple(out))
        return
    w, q, k, v = attn.weights, attn.q, attn.k, attn.v
    np.matmul(w.swapaxes(-1, -2), g, out=out[2])  # dv
    d_scores = softmax_backward(np.matmul(g, v.swapaxes(-1, -2)), w)  # w.r.t. QKᵀ/√d_k
    np.matmul(d_scores, np.multiply(k, attn.scale), out=out[0])  # dq
    np.matmul(d_scores.swapaxes(-1, -2), np.multiply(q, attn.scale), out=out[1])  # dk


class FusedEncoderLayer(TransformerEncoderLayer):
    def backward(self, d_output: np.ndarray, cache: EncoderLayerCache):
        sa = cache.self_attn
        if not (sa.query is sa.key is sa.value) or not isinstance(self.self_attn, FusedSelfAttention):
            return super().backward(d_output, cache)
        d_res2, g_n2 = self.norm2.backward(d_output, cache.norm2)
        d_x, g_ff = self.ff.backward(d_res2, cache.ff)
        d_x += d_res2
        d_res1, g_n1 = self.norm1.backward(d_x, cache.norm1)
        d_src, g_sa = self.self_attn.backward_self(d_res1, sa)
        d_src += d_res1
        grads = {**prefixed("self_attn", g_sa), **g_ff,
                 **prefixed("norm1", g_n1), **prefixed("norm2", g_n2)}
        return d_src, grads


def fuse(layer: TransformerEncoderLayer) -> TransformerEncoderLayer:
    """Switch a built encoder layer (and its self-attention) to the fused passes, in place."""
    layer.__class__ = FusedEncoderLayer
    layer.self_attn.__class__ = FusedSelfAttention
    return layer
