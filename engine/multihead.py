"""Multi-head attention laid out like torch.nn.MultiheadAttention (batch_first=False).

    head_i = Attention(Q·W_qiᵀ, K·W_kiᵀ, V·W_viᵀ)
    MultiHead(Q, K, V) = Concat(head_1, …, head_h)·W_oᵀ + b_o

W_q, W_k, W_v are stacked in `in_proj_weight` (3E, E) as in PyTorch, and every
head goes through the one `scaled_dot_product_attention`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .attention import (AttentionCache, scaled_dot_product_attention,
                        scaled_dot_product_attention_backward)
from .linear import Linear, LinearCache
from .module import Module, nested_params, prefixed, uniform


@dataclass(frozen=True)
class MultiheadAttentionCache:
    query: np.ndarray      # (L, B, E) inputs, kept for the projection gradients
    key: np.ndarray        # (S, B, E)
    value: np.ndarray      # (S, B, E)
    attn: AttentionCache   # per head: q, k, v (B, H, L|S, hd), weights (B, H, L, S)
    out_proj: LinearCache  # x = concatenated heads (L·B, E)

    @property
    def weights(self) -> np.ndarray:
        return self.attn.weights  # (B, H, L, S)

    @property
    def scores(self) -> np.ndarray:
        return self.attn.scores  # (B, H, L, S) QKᵀ before scaling

    @property
    def scaled_scores(self) -> np.ndarray:
        return self.attn.scaled_scores  # (B, H, L, S) QKᵀ/√d_k, −inf where masked


class MultiHeadAttention(Module):
    def __init__(self, embed_dim: int, num_heads: int, seed: int = 0, dtype=np.float64):
        if embed_dim % num_heads:
            raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
        self.embed_dim, self.num_heads = embed_dim, num_heads
        E = embed_dim
        rng = np.random.default_rng(seed)
        # PyTorch's init: xavier_uniform_ in_proj, zero biases, Linear-style out_proj.weight
        in_proj_weight = uniform(rng, (3 * E, E), math.sqrt(6.0 / (4 * E)), dtype)
        self.out_proj = Linear(E, E, seed=int(rng.integers(2**31)), dtype=dtype)
        self.out_proj.params["bias"][...] = 0
        self.params = {"in_proj_weight": in_proj_weight,
                       "in_proj_bias": np.zeros(3 * E, dtype=dtype),
                       **nested_params({"out_proj": self.out_proj})}

    def _heads(self, x: np.ndarray) -> np.ndarray:
        """(T, B, E) viewed as heads, (B, H, T, hd); E is laid out as (H, hd)."""
        T, B, E = x.shape
        return x.reshape(T, B, self.num_heads, E // self.num_heads).transpose(1, 2, 0, 3)  # (B, H, T, hd)

    def _project(self, x: np.ndarray, i: int) -> np.ndarray:
        """The i-th input projection (0: q, 1: k, 2: v), (T, B, E)."""
        T, B, E = x.shape
        y = x.reshape(T * B, E) @ self.params["in_proj_weight"][i * E:(i + 1) * E].T  # (T·B, E)
        y += self.params["in_proj_bias"][i * E:(i + 1) * E]
        return y.reshape(T, B, E)

    def forward(self, query: np.ndarray, key: np.ndarray, value: np.ndarray,
                attn_mask: np.ndarray | None = None,
                key_padding_mask: np.ndarray | None = None):
        """query (L, B, E), key/value (S, B, E); attn_mask (L, S) or (B·H, L, S) bool,
        key_padding_mask (B, S) bool. Returns (output (L, B, E), cache)."""
        L, B, E = query.shape
        S, H = key.shape[0], self.num_heads
        if attn_mask is not None and np.ndim(attn_mask) == 3:
            attn_mask = np.reshape(attn_mask, (B, H, L, S))  # PyTorch's (B·H, L, S)
        q, k, v = (self._heads(self._project(x, i)) for i, x in enumerate((query, key, value)))
        concat = np.empty((L, B, E), dtype=q.dtype)  # heads side by side, written in place
        _, attn = scaled_dot_product_attention(q, k, v, attn_mask, key_padding_mask,
                                               out=self._heads(concat))
        out, out_cache = self.out_proj.forward(concat.reshape(L * B, E))  # (L·B, E)
        return out.reshape(L, B, E), MultiheadAttentionCache(query, key, value, attn, out_cache)

    def backward(self, d_output: np.ndarray, cache: MultiheadAttentionCache):
        """d_output (L, B, E). Returns (d_query, d_key, d_value, grads)."""
        L, B, E = d_output.shape
        d_concat, g_out = self.out_proj.backward(d_output.reshape(L * B, E), cache.out_proj)  # (L·B, E)
        inputs = (cache.query, cache.key, cache.value)
        d_proj = tuple(np.empty(x.shape, d_concat.dtype) for x in inputs)  # (T, B, E) each, filled per head
        scaled_dot_product_attention_backward(self._heads(d_concat.reshape(L, B, E)), cache.attn,
                                              out=tuple(self._heads(d) for d in d_proj))
        W = self.params["in_proj_weight"]
        d_inputs, dW, db = [], [], []
        for i, (x, dy) in enumerate(zip(inputs, d_proj)):
            T = x.shape[0]
            dy = dy.reshape(T * B, E)  # (T·B, E)
            dW.append(dy.T @ x.reshape(T * B, E))
            db.append(np.ones(T * B, dtype=dy.dtype) @ dy)
            d_inputs.append((dy @ W[i * E:(i + 1) * E]).reshape(T, B, E))
        grads = {"in_proj_weight": np.concatenate(dW), "in_proj_bias": np.concatenate(db),
                 **prefixed("out_proj", g_out)}
        return (*d_inputs, grads)
