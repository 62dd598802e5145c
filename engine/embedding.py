"""Token embedding table, laid out like torch.nn.Embedding."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .module import Module


@dataclass(frozen=True)
class EmbeddingCache:
    ids: np.ndarray  # integer ids, any shape


class Embedding(Module):
    def __init__(self, num_embeddings: int, embedding_dim: int, seed: int = 0, dtype=np.float64):
        rng = np.random.default_rng(seed)
        self.params = {"weight": rng.standard_normal((num_embeddings, embedding_dim)).astype(dtype)}

    def forward(self, ids: np.ndarray) -> tuple[np.ndarray, EmbeddingCache]:
        ids = np.asarray(ids)
        return self.params["weight"][ids], EmbeddingCache(ids)  # (*ids.shape, D)

    def backward(self, d_out: np.ndarray, cache: EmbeddingCache) -> dict[str, np.ndarray]:
        W = self.params["weight"]
        dW = np.zeros_like(W)
        np.add.at(dW, cache.ids.reshape(-1), d_out.reshape(-1, W.shape[1]))
        return {"weight": dW}
