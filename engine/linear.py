"""Fully connected layer y = x·Wᵀ + b, laid out like torch.nn.Linear."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .module import Module, uniform


@dataclass(frozen=True)
class LinearCache:
    x: np.ndarray  # (..., in_features)


class Linear(Module):
    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 seed: int = 0, dtype=np.float64):
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(in_features)
        self.params = {"weight": uniform(rng, (out_features, in_features), bound, dtype)}
        if bias:
            self.params["bias"] = uniform(rng, (out_features,), bound, dtype)

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, LinearCache]:
        y = x @ self.params["weight"].T
        if "bias" in self.params:
            y += self.params["bias"]  # in place: y is new, and a fresh array is pages to fault in
        return y, LinearCache(x)

    def backward(self, dy: np.ndarray, cache: LinearCache) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        x2 = cache.x.reshape(-1, cache.x.shape[-1])  # (N, in)
        dy2 = dy.reshape(-1, dy.shape[-1])  # (N, out)
        grads = {"weight": dy2.T @ x2}
        if "bias" in self.params:
            # The column sums as a matrix-vector product: sum(axis=0) over rows of
            # 73-224 entries took 3-6x as long at 1024 rows.
            grads["bias"] = np.ones(dy2.shape[0], dtype=dy2.dtype) @ dy2
        return dy @ self.params["weight"], grads
