"""Position-wise feed-forward network, FFN(x) = linear2(ReLU(linear1(x))).

Parameters are named like the matching children of torch.nn.TransformerEncoderLayer
(`linear1.*`, `linear2.*`), so a layer can hold them in its own namespace.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .linear import Linear, LinearCache
from .module import Module, nested_params, prefixed


@dataclass(frozen=True)
class FeedForwardCache:
    linear1: LinearCache  # x (..., d_model)
    linear2: LinearCache  # h = ReLU(x·W1ᵀ + b1), (..., dim_feedforward)

    @property
    def hidden(self) -> np.ndarray:
        return self.linear2.x


class FeedForward(Module):
    def __init__(self, d_model: int, dim_feedforward: int, seed: int = 0, dtype=np.float64):
        s = np.random.default_rng(seed).integers(2**31, size=2)
        self.linear1 = Linear(d_model, dim_feedforward, seed=int(s[0]), dtype=dtype)
        self.linear2 = Linear(dim_feedforward, d_model, seed=int(s[1]), dtype=dtype)
        self.params = nested_params({"linear1": self.linear1, "linear2": self.linear2})

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, FeedForwardCache]:
        *lead, D = x.shape
        a, c1 = self.linear1.forward(x.reshape(-1, D))  # (N, F)
        h = np.maximum(a, 0, out=a)  # ReLU in place
        y, c2 = self.linear2.forward(h)  # (N, D)
        return y.reshape(*lead, D), FeedForwardCache(c1, c2)

    def backward(self, dy: np.ndarray, cache: FeedForwardCache) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        dh, g2 = self.linear2.backward(dy.reshape(-1, dy.shape[-1]), cache.linear2)  # (N, F)
        dh *= cache.hidden > 0  # through ReLU
        dx, g1 = self.linear1.backward(dh, cache.linear1)  # (N, D)
        return dx.reshape(dy.shape), {**prefixed("linear1", g1), **prefixed("linear2", g2)}
