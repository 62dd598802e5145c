"""An attention-only Transformer: token and learned position embeddings, then
layers of residual multi-head self-attention, then a linear read-out.

    x_0 = E[ids] + P[0..T)                  (T, B, d_model)
    x_l = x_{l-1} + MHA_l(x_{l-1})          causal or bidirectional
    logits = x_L · W_Uᵀ + b_U               (T, B, vocab)

No feed-forward blocks and no layer norm, as in the two-layer attention-only
models of Elhage et al. (2021) and Olsson et al. (2022), where every head is a
readable circuit: the heads are the whole model. Bidirectional (causal=False),
every position also sees the words after it (a tagger, as the coreference
model uses). Parameter names follow PyTorch: ``embed.weight``, ``pos.weight``,
``layers.<i>.in_proj_weight`` … (torch.nn.MultiheadAttention's), ``lm_head.*``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .attention import causal_mask
from .embedding import Embedding, EmbeddingCache
from .linear import Linear, LinearCache
from .module import Module, nested_params, prefixed
from .multihead import MultiHeadAttention, MultiheadAttentionCache


@dataclass(frozen=True)
class AttentionOnlyConfig:
    vocab: int
    d_model: int = 32
    nhead: int = 2
    num_layers: int = 2
    max_len: int = 64
    causal: bool = True


@dataclass(frozen=True)
class AttentionOnlyCache:
    embed: EmbeddingCache
    layers: tuple[MultiheadAttentionCache, ...]
    lm_head: LinearCache
    length: int

    @property
    def weights(self) -> list[np.ndarray]:
        return [c.weights for c in self.layers]  # per layer (B, H, T, T)


class AttentionOnlyTransformer(Module):
    def __init__(self, config: AttentionOnlyConfig, seed: int = 0, dtype=np.float64):
        self.config, c = config, config
        s = [int(v) for v in np.random.default_rng(seed).integers(2**31, size=3 + c.num_layers)]
        self.embed = Embedding(c.vocab, c.d_model, seed=s[0], dtype=dtype)
        self.pos = Embedding(c.max_len, c.d_model, seed=s[1], dtype=dtype)
        self.layers = [MultiHeadAttention(c.d_model, c.nhead, seed=si, dtype=dtype) for si in s[3:]]
        self.lm_head = Linear(c.d_model, c.vocab, seed=s[2], dtype=dtype)
        self.params = nested_params({"embed": self.embed, "pos": self.pos,
                                     **{f"layers.{i}": m for i, m in enumerate(self.layers)},
                                     "lm_head": self.lm_head})

    def forward(self, ids: np.ndarray, key_padding_mask: np.ndarray | None = None):
        """ids (T, B), key_padding_mask (B, T) True at padding. Returns (logits (T, B, vocab), cache)."""
        T = ids.shape[0]
        if T > self.config.max_len:
            raise ValueError(f"{T} tokens; this model reads at most {self.config.max_len}")
        x, embed = self.embed.forward(ids)
        x = x + self.pos.params["weight"][:T, None]
        mask = causal_mask(T) if self.config.causal else None
        layers = []
        for layer in self.layers:
            a, cache = layer.forward(x, x, x, mask, key_padding_mask)
            x = x + a
            layers.append(cache)
        logits, head = self.lm_head.forward(x)
        return logits, AttentionOnlyCache(embed, tuple(layers), head, T)

    def backward(self, d_logits: np.ndarray, cache: AttentionOnlyCache) -> dict[str, np.ndarray]:
        d_x, g = self.lm_head.backward(d_logits, cache.lm_head)
        grads = prefixed("lm_head", g)
        for i in reversed(range(len(self.layers))):
            dq, dk, dv, g = self.layers[i].backward(d_x, cache.layers[i])
            d_x = d_x + dq + dk + dv
            grads.update(prefixed(f"layers.{i}", g))
        grads.update(prefixed("embed", self.embed.backward(d_x, cache.embed)))
        d_pos = np.zeros_like(self.pos.params["weight"])
        d_pos[:cache.length] = d_x.sum(axis=1)
        grads["pos.weight"] = d_pos
        return grads

    def attention(self, ids: np.ndarray) -> np.ndarray:
        """Attention weights of one sequence of ids (T,): (layers, heads, T, T), rows sum to 1."""
        _, cache = self.forward(np.asarray(ids)[:, None])
        return np.stack([w[0] for w in cache.weights])
