"""A GPT-style decoder-only Transformer: embeddings plus sinusoidal positions,
causal self-attention layers (engine.transformer's encoder layer under a
causal mask, post-norm as GPT-1), and an output projection `lm_head`.
Sequences are time-major: token ids (T, B), activations (T, B, d_model).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .attention import causal_mask
from .embedding import Embedding, EmbeddingCache
from .functional import log_softmax
from .linear import Linear, LinearCache
from .module import Module, nested_params, prefixed
from .positional import positional_encoding
from .transformer import EncoderLayerCache, TransformerEncoderLayer, layer_seeds


@dataclass(frozen=True)
class DecoderOnlyConfig:
    vocab: int
    d_model: int = 32
    nhead: int = 2
    num_layers: int = 2
    dim_feedforward: int = 64
    max_len: int = 64


@dataclass(frozen=True)
class DecoderOnlyCache:
    embed: EmbeddingCache
    layers: tuple[EncoderLayerCache, ...]
    lm_head: LinearCache

    @property
    def weights(self) -> list[np.ndarray]:
        return [c.weights for c in self.layers]  # per layer (B, H, T, T), causal


class DecoderOnlyTransformer(Module):
    """GPT-style: embeddings + positions, causal self-attention layers, lm_head.

    Each layer is a TransformerEncoderLayer under a causal mask (post-norm, as GPT-1).
    """

    def __init__(self, config: DecoderOnlyConfig, seed: int = 0, dtype=np.float64):
        self.config, c = config, config
        s = layer_seeds(seed, 2 + c.num_layers)
        self.embed = Embedding(c.vocab, c.d_model, seed=s[0], dtype=dtype)
        self.layers = [TransformerEncoderLayer(c.d_model, c.nhead, c.dim_feedforward, seed=si, dtype=dtype)
                       for si in s[2:]]
        self.lm_head = Linear(c.d_model, c.vocab, seed=s[1], dtype=dtype)
        self.pe = positional_encoding(c.max_len, c.d_model, dtype=dtype)  # (max_len, d_model)
        self.params = nested_params({"embed": self.embed,
                                     **{f"layers.{i}": m for i, m in enumerate(self.layers)},
                                     "lm_head": self.lm_head})

    def forward(self, ids: np.ndarray, key_padding_mask: np.ndarray | None = None):
        """ids (T, B). Returns (logits (T, B, vocab), cache); position t sees ids[:t+1]."""
        T = ids.shape[0]
        x, embed = self.embed.forward(ids)  # (T, B, d_model)
        x = x + self.pe[:T, None]
        mask = causal_mask(T)
        layers = []
        for layer in self.layers:
            x, cache = layer.forward(x, mask, key_padding_mask)
            layers.append(cache)
        logits, head = self.lm_head.forward(x)  # (T, B, V)
        return logits, DecoderOnlyCache(embed, tuple(layers), head)

    def backward(self, d_logits: np.ndarray, cache: DecoderOnlyCache) -> dict[str, np.ndarray]:
        d_x, g = self.lm_head.backward(d_logits, cache.lm_head)
        grads = prefixed("lm_head", g)
        for i in reversed(range(len(self.layers))):
            d_x, g = self.layers[i].backward(d_x, cache.layers[i])
            grads.update(prefixed(f"layers.{i}", g))
        grads.update(prefixed("embed", self.embed.backward(d_x, cache.embed)))
        return grads

    def next_token_log_probs(self, prompt: np.ndarray):
        """prompt ids (P, B). Returns f(prefix (t, N)) -> (N, V): log-probabilities of the
        token after prompt + prefix (N = B, or any N when B = 1)."""
        def log_probs(prefix: np.ndarray) -> np.ndarray:
            N = prefix.shape[1]
            p = prompt if prompt.shape[1] == N else np.repeat(prompt, N, axis=1)  # (P, N)
            return log_softmax(self.forward(np.concatenate([p, prefix]))[0][-1], axis=-1)

        return log_probs
