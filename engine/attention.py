"""Attention: scaled dot-product (Vaswani et al.) and additive (Bahdanau et al.).

    Attention(Q, K, V) = softmax(QKᵀ/√d_k)·V
    e_ij = w_vᵀ·tanh(W_q·s_i + W_k·h_j),  α_i = softmax(e_i),  c_i = Σ_j α_ij·v_j

Masks are boolean with True marking a position that may not be attended, as
in torch.nn.MultiheadAttention. A row whose every position is masked attends
to nothing: its weights and its output are 0 (PyTorch returns NaN there).
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from .linear import Linear, LinearCache
from .module import Module, nested_params, prefixed


def causal_mask(L: int, S: int | None = None) -> np.ndarray:
    """(L, S) bool, True above the diagonal: position i may not see j > i."""
    return np.triu(np.ones((L, L if S is None else S), dtype=bool), k=1)


def combine_masks(attn_mask: np.ndarray | None, key_padding_mask: np.ndarray | None,
                  is_causal: bool, L: int, S: int, ndim: int) -> np.ndarray | None:
    """One bool mask broadcastable to (..., L, S) for scores with `ndim` axes.

    key_padding_mask is (B, S) with B the leading axis of the scores (or (S,)
    when the scores are a single (L, S) matrix).
    """
    mask = None if attn_mask is None else np.asarray(attn_mask, dtype=bool)
    if is_causal:
        mask = causal_mask(L, S) if mask is None else mask | causal_mask(L, S)
    if key_padding_mask is not None:
        kpm = np.asarray(key_padding_mask, dtype=bool)
        kpm = kpm.reshape(kpm.shape[:-1] + (1,) * (ndim - kpm.ndim) + (S,))  # (B, 1, .., 1, S)
        mask = kpm if mask is None else mask | kpm
    return mask


def masked_softmax(scores: np.ndarray, mask: np.ndarray | None = None,
                   scale: float = 1.0, bound: float = math.inf) -> np.ndarray:
    """softmax(scale·scores) over the last axis, computed in place.

    Masked entries get exactly 0; fully masked rows are all 0, without warnings.
    Softmax is shift-invariant: subtracting the row max only keeps exp from
    overflowing. `bound` is a known bound on |scale·score|; when it is small
    enough that exp can neither overflow nor underflow to 0, the shift is skipped.
    """
    safe = bound <= _exp_safe(scores.dtype)
    if mask is not None and not safe:
        np.copyto(scores, -np.inf, where=mask)
    if not safe:
        row_max = scores.max(axis=-1, keepdims=True)  # (..., L, 1)
        if mask is not None:
            row_max[np.isneginf(row_max)] = 0.0
        scores -= row_max
    scores *= scale * _LOG2E  # exp(x) = 2^(x·log₂e): NumPy's exp2 takes ~55% of exp's time in float32
    np.exp2(scores, out=scores)
    if mask is not None and safe:
        # Masked entries zeroed after exp, not set to −inf before it: the bound keeps their exp
        # finite, and exp2 of −inf took NumPy's slow path (a causal mask doubled the
        # attention's forward time at 64×64 in float32: 1.04 ms against 0.50 ms unmasked).
        np.copyto(scores, 0.0, where=mask)
    total = scores @ np.ones(scores.shape[-1], dtype=scores.dtype)  # (..., L) row sums
    if mask is not None:
        total[total == 0.0] = 1.0
    scores *= np.reciprocal(total, out=total)[..., None]
    return scores


_LOG2E = 1.0 / math.log(2.0)


@functools.cache
def _exp_safe(dtype) -> float:
    """|x| below which exp(x) and sums of many such terms stay finite and non-zero."""
    return 0.5 * math.log(np.finfo(dtype).max)


def softmax_backward(d_weights: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gradient w.r.t. the softmax input, w ⊙ (dw − Σ dw⊙w), computed in place in d_weights."""
    d_weights -= np.vecdot(d_weights, weights)[..., None]
    d_weights *= weights
    return d_weights


@dataclass(frozen=True)
class AttentionCache:
    """What backward needs, and what the scenes draw."""
    q: np.ndarray        # (..., L, d_k)
    k: np.ndarray        # (..., S, d_k)
    v: np.ndarray        # (..., S, d_v)
    weights: np.ndarray  # (..., L, S) softmax rows, exactly 0 where masked
    mask: np.ndarray | None  # bool, broadcastable to (..., L, S); True = not attended
    scale: float         # 1/√d_k

    @property
    def scores(self) -> np.ndarray:
        """QKᵀ before scaling, (..., L, S) (recomputed: scenes only)."""
        return self.q @ self.k.swapaxes(-1, -2)

    @property
    def scaled_scores(self) -> np.ndarray:
        """QKᵀ/√d_k, −inf where masked: the softmax input."""
        s = self.scores * self.scale
        return s if self.mask is None else np.where(self.mask, -np.inf, s)


# The batch is processed in chunks whose (L, S) blocks fit in L2 together, so the
# softmax passes and the matmuls that follow reuse cached data (at n = 512 this
# is ~1.5x faster than whole-batch passes on a 2-core EPYC).
_CHUNK_BYTES = 1 << 19


def _chunks(N: int, block_bytes: int):
    step = max(1, _CHUNK_BYTES // max(block_bytes, 1))
    return (slice(i, i + step) for i in range(0, N, step))


# OpenBLAS, as NumPy ships it, multiplies float32 matrices of M·N·K up to about
# 10⁶ with kernels that skip its packing copies, the fastest of them only when
# neither operand is a transposed view. Attention's products at n = 128, d = 64
# have M·N·K = 2²⁰, just above that line: done as two halves of their rows, kᵀ
# and vᵀ first copied to row-major, each ran 11-25% faster (bench/matmul_shapes.py
# has the sweep over n and d) and the whole forward + backward 7-9% faster, timed
# in shuffled order with the code before and torch.
# At 2²¹ and above the halves measured slower, and so did float64.
_HALVES_MNK = (1 << 19, 1 << 20)  # split a float32 product with low < M·N·K <= high


def _matmul(a: np.ndarray, b: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """np.matmul(a, b, out=out) for stacks (..., M, K) @ (..., K, P), by halves of M in _HALVES_MNK."""
    (M, K), P = a.shape[-2:], b.shape[-1]
    low, high = _HALVES_MNK
    if M < 2 or not low < M * K * P <= high or a.dtype != np.float32 or b.dtype != np.float32:
        return np.matmul(a, b, out=out)
    if b.strides[-2] < b.strides[-1]:  # a transposed view, like kᵀ: make it row-major
        b = np.ascontiguousarray(b)
    if out is None:
        out = np.empty((*np.broadcast_shapes(a.shape[:-2], b.shape[:-2]), M, P), dtype=np.float32)
    half = M // 2
    np.matmul(a[..., :half, :], b, out=out[..., :half, :])
    np.matmul(a[..., half:, :], b, out=out[..., half:, :])
    return out


def _matmul_for(dtype, L: int, S: int, *widths: int):
    """_matmul if some product of attention with these sizes is split, else np.matmul
    (checking every product costs ~3% at n = 32, where none is)."""
    low, high = _HALVES_MNK
    if dtype == np.float32 and any(low < L * S * w <= high for w in widths):
        return _matmul
    return np.matmul


def _flat(x: np.ndarray | None, batch: tuple[int, ...]) -> np.ndarray | None:
    """x broadcast over the batch axes and flattened to (N, rows, cols)."""
    if x is None:
        return None
    if x.shape[:-2] != tuple(batch):
        x = np.broadcast_to(x, (*batch, *x.shape[-2:]))
    return x.reshape(-1, *x.shape[-2:])  # (N, rows, cols)


def _flat_out(x: np.ndarray) -> np.ndarray:
    """An output buffer flattened to (N, rows, cols) as a view, never a copy."""
    return np.reshape(x, (-1, *x.shape[-2:]), copy=False)  # (N, rows, cols)


def _max_norm(x: np.ndarray) -> np.ndarray:
    """(N,) largest row norm of each (rows, cols) matrix of x (N, rows, cols); inf if it overflows."""
    with np.errstate(over="ignore"):
        return np.sqrt(np.vecdot(x, x).max(axis=-1))


def scaled_dot_product_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray,
                                 attn_mask: np.ndarray | None = None,
                                 key_padding_mask: np.ndarray | None = None,
                                 is_causal: bool = False,
                                 out: np.ndarray | None = None) -> tuple[np.ndarray, AttentionCache]:
    """softmax(QKᵀ/√d_k)·V over the last two axes; any leading batch axes.

    q: (..., L, d_k), k: (..., S, d_k), v: (..., S, d_v) with the same batch
    axes. attn_mask: bool broadcastable to (..., L, S); key_padding_mask: bool
    (B, S) for the leading axis B; is_causal adds the causal mask; out: an
    optional (..., L, d_v) buffer for the result. Returns ((..., L, d_v), cache)
    with cache.weights (..., L, S).
    """
    *batch, L, d_k = q.shape
    S = k.shape[-2]
    mask = combine_masks(attn_mask, key_padding_mask, is_causal, L, S, q.ndim)
    if mask is not None:
        mask = np.broadcast_to(mask, (*mask.shape[:-2], L, S))
    scale = 1.0 / math.sqrt(d_k)
    if L == 0 or S == 0:  # no queries, or nothing to attend to: like a fully masked row
        weights = np.zeros((*batch, L, S), dtype=q.dtype)
        output = np.zeros((*batch, L, v.shape[-1]), dtype=q.dtype) if out is None else out
        if out is not None:
            output[...] = 0
        return output, AttentionCache(q, k, v, weights, mask, scale)
    qf, kf, vf, mf = _flat(q, batch), _flat(k, batch), _flat(v, batch), _flat(mask, batch)
    bound = scale * _max_norm(qf) * _max_norm(kf)  # (N,) Cauchy–Schwarz: |q·k|/√d_k ≤ bound
    chunks = list(_chunks(len(qf), L * S * q.itemsize))
    matmul = _matmul_for(q.dtype, L, S, d_k, v.shape[-1])
    if len(chunks) == 1 and out is None:
        # One block: matmul allocates its own results (writing them into np.empty
        # buffers through out= took ~5% longer at n = 128, bench/attention.py).
        wf = masked_softmax(matmul(qf, kf.swapaxes(-1, -2)), mf, scale, bound.max())  # (N, L, S)
        output = matmul(wf, vf).reshape(*batch, L, -1)
        return output, AttentionCache(q, k, v, wf.reshape(*batch, L, S), mask, scale)
    weights = np.empty((*batch, L, S), dtype=q.dtype)
    output = np.empty((*batch, L, v.shape[-1]), dtype=q.dtype) if out is None else out
    wf, of = _flat_out(weights), _flat_out(output)  # (N, L, S), (N, L, d_v)
    for c in chunks:
        scores = matmul(qf[c], kf[c].swapaxes(-1, -2), out=wf[c])  # QKᵀ (n, L, S)
        masked_softmax(scores, None if mf is None else mf[c], scale, bound[c].max())  # now weights
        matmul(wf[c], vf[c], out=of[c])
    return output, AttentionCache(q, k, v, weights, mask, scale)


def scaled_dot_product_attention_backward(d_output: np.ndarray, cache: AttentionCache,
                                          out: tuple[np.ndarray, ...] | None = None):
    """d_output: (..., L, d_v). Returns (dq, dk, dv) shaped like q, k, v, written
    into the buffers `out` when given."""
    *batch, L, S = cache.weights.shape
    if L == 0 or S == 0:  # nothing was attended: no gradient flows
        grads = tuple(np.zeros(x.shape, x.dtype) for x in (cache.q, cache.k, cache.v))
        if out is not None:
            for buffer, g in zip(out, grads):
                buffer[...] = g
            return out
        return grads
    q, k, v = _flat(cache.q, batch), _flat(cache.k, batch), _flat(cache.v, batch)
    w, g = _flat(cache.weights, batch), _flat(d_output, batch)
    chunks = list(_chunks(len(w), L * S * w.itemsize))
    matmul = _matmul_for(w.dtype, L, S, q.shape[-1], v.shape[-1])
    if len(chunks) == 1 and out is None:  # one block, results allocated by matmul (as in forward)
        dv = matmul(w.swapaxes(-1, -2), g)  # (N, S, d_v)
        d_scores = softmax_backward(matmul(g, v.swapaxes(-1, -2)), w)  # (N, L, S) w.r.t. QKᵀ/√d_k
        dq = matmul(d_scores, k)
        dq *= cache.scale
        dk = matmul(d_scores.swapaxes(-1, -2), q)
        dk *= cache.scale
        return dq.reshape(cache.q.shape), dk.reshape(cache.k.shape), dv.reshape(cache.v.shape)
    if out is None:
        out = tuple(np.empty(x.shape, x.dtype) for x in (cache.q, cache.k, cache.v))
    dq, dk, dv = (_flat_out(x) for x in out)  # (N, L|S, d)
    buffer = np.empty((chunks[0].stop - chunks[0].start, L, S), dtype=w.dtype)  # reused by every chunk
    for c in chunks:
        matmul(w[c].swapaxes(-1, -2), g[c], out=dv[c])  # (n, S, d_v)
        d_weights = matmul(g[c], v[c].swapaxes(-1, -2), out=buffer[:len(w[c])])  # (n, L, S)
        d_scores = softmax_backward(d_weights, w[c])  # (n, L, S) w.r.t. QKᵀ/√d_k
        matmul(d_scores, k[c], out=dq[c])  # (n, L, d_k)
        dq[c] *= cache.scale
        matmul(d_scores.swapaxes(-1, -2), q[c], out=dk[c])  # (n, S, d_k)
        dk[c] *= cache.scale
    return out


@dataclass(frozen=True)
class AdditiveAttentionCache:
    query: LinearCache   # query s (L, B, D_q)
    key: LinearCache     # keys h (S, B, D_k)
    energy: LinearCache  # x = tanh(W_q·s + W_k·h), (L, S, B, A)
    e: np.ndarray        # (L, S, B, 1) energies w_vᵀ·x before the softmax
    values: np.ndarray   # (S, B, D_v)
    weights: np.ndarray  # (B, L, S) α, exactly 0 where masked
    mask: np.ndarray | None  # (B, 1, S) bool or None

    @property
    def features(self) -> np.ndarray:
        return self.energy.x  # (L, S, B, A)

    @property
    def scores(self) -> np.ndarray:
        """The energies as the softmax saw them, (B, L, S), −inf where masked."""
        e = self.e[..., 0].transpose(2, 0, 1)  # (B, L, S)
        return e if self.mask is None else np.where(self.mask, -np.inf, e)


class AdditiveAttention(Module):
    """Bahdanau attention: e_ij = w_vᵀ·tanh(W_q·s_i + W_k·h_j). Time-major inputs."""

    def __init__(self, query_size: int, key_size: int, hidden_size: int,
                 seed: int = 0, dtype=np.float64):
        s = np.random.default_rng(seed).integers(2**31, size=3)
        self.W_q = Linear(query_size, hidden_size, bias=False, seed=int(s[0]), dtype=dtype)
        self.W_k = Linear(key_size, hidden_size, bias=False, seed=int(s[1]), dtype=dtype)
        self.w_v = Linear(hidden_size, 1, bias=False, seed=int(s[2]), dtype=dtype)
        self.params = nested_params({"W_q": self.W_q, "W_k": self.W_k, "w_v": self.w_v})

    def forward(self, query: np.ndarray, keys: np.ndarray, values: np.ndarray,
                key_padding_mask: np.ndarray | None = None):
        """query (L, B, D_q), keys (S, B, D_k), values (S, B, D_v), key_padding_mask (B, S).

        Returns (context (L, B, D_v), cache) with cache.weights (B, L, S).
        """
        L, B, _ = query.shape
        S = keys.shape[0]
        sq, q_cache = self.W_q.forward(query)  # (L, B, A)
        hk, k_cache = self.W_k.forward(keys)  # (S, B, A)
        x = np.tanh(sq[:, None] + hk[None])  # (L, S, B, A)
        e, e_cache = self.w_v.forward(x)  # (L, S, B, 1)
        scores = e[..., 0].transpose(2, 0, 1).copy()  # (B, L, S), a copy: softmax works in place
        mask = combine_masks(None, key_padding_mask, False, L, S, 3)  # (B, 1, S)
        bound = float(np.abs(self.w_v.params["weight"]).sum())  # |e| ≤ ‖w_v‖₁ since |tanh| ≤ 1
        weights = masked_softmax(scores, mask, bound=bound)
        context = (weights @ values.transpose(1, 0, 2)).transpose(1, 0, 2)  # (L, B, D_v)
        return context, AdditiveAttentionCache(q_cache, k_cache, e_cache, e, values, weights, mask)

    def backward(self, d_context: np.ndarray, cache: AdditiveAttentionCache):
        """d_context (L, B, D_v). Returns (d_query, d_keys, d_values, grads)."""
        w = cache.weights
        dc = d_context.transpose(1, 0, 2)  # (B, L, D_v)
        values = cache.values.transpose(1, 0, 2)  # (B, S, D_v)
        d_values = (w.swapaxes(-1, -2) @ dc).transpose(1, 0, 2)  # (S, B, D_v)
        de = softmax_backward(dc @ values.swapaxes(-1, -2), w)  # (B, L, S)
        de = de.transpose(1, 2, 0)[..., None]  # (L, S, B, 1)
        dx, g_v = self.w_v.backward(de, cache.energy)  # (L, S, B, A)
        dx *= 1.0 - cache.features ** 2  # through tanh
        d_query, g_q = self.W_q.backward(dx.sum(axis=1), cache.query)  # (L, B, D_q)
        d_keys, g_k = self.W_k.backward(dx.sum(axis=0), cache.key)  # (S, B, D_k)
        grads = {**prefixed("W_q", g_q), **prefixed("W_k", g_k), **prefixed("w_v", g_v)}
        return d_query, d_keys, d_values, grads
