"""Causal 1-D convolution over a sequence, laid out like torch.nn.Conv1d.

Each output position t reads the inputs t−k+1 … t (zeros before the start),
so a stack of L layers sees 1 + (k−1)·L words back: the receptive field the
"before deep learning" lesson shows. Sequences are (T, B, C), the layout of
the recurrent models; the weight is (C_out, C_in, k) as in PyTorch, whose
Conv1d with k−1 zeros padded on the left computes the same thing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .module import Module, uniform


@dataclass(frozen=True)
class ConvCache:
    windows: np.ndarray  # (T, B, C_in, k): what each output position read


class CausalConv1d(Module):
    def __init__(self, in_channels: int, out_channels: int, kernel_size: int,
                 seed: int = 0, dtype=np.float64):
        if kernel_size < 1:
            raise ValueError(f"kernel_size must be at least 1, got {kernel_size}")
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(in_channels * kernel_size)  # PyTorch's Conv1d default range
        self.kernel_size = kernel_size
        self.params = {
            "weight": uniform(rng, (out_channels, in_channels, kernel_size), bound, dtype),
            "bias": uniform(rng, (out_channels,), bound, dtype),
        }

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, ConvCache]:
        """x: (T, B, C_in) → y: (T, B, C_out), y_t = b + Σ_j W[:, :, j]·x_{t−k+1+j}."""
        T, B, C = x.shape
        k = self.kernel_size
        padded = np.concatenate([np.zeros((k - 1, B, C), dtype=x.dtype), x])       # (T+k−1, B, C)
        windows = np.stack([padded[j:j + T] for j in range(k)], axis=3)          # (T, B, C, k)
        y = np.einsum("tbck,ock->tbo", windows, self.params["weight"]) + self.params["bias"]
        return y, ConvCache(windows)

    def backward(self, dy: np.ndarray, cache: ConvCache) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """dy: (T, B, C_out) → (dx (T, B, C_in), grads keyed like state_dict())."""
        T, B, C, k = cache.windows.shape
        W = self.params["weight"]
        grads = {"weight": np.einsum("tbo,tbck->ock", dy, cache.windows),
                 "bias": dy.sum(axis=(0, 1))}
        d_padded = np.zeros((T + k - 1, B, C), dtype=dy.dtype)
        for j in range(k):
            d_padded[j:j + T] += dy @ W[:, :, j]                                  # (T, B, C_in)
        return d_padded[k - 1:], grads
