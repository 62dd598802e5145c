"""Vanilla (Elman) RNN with tanh, laid out like a single-layer torch.nn.RNN.

    h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh)
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .module import Module, uniform


@dataclass(frozen=True)
class RNNCache:
    """What backward needs, and what the scenes draw."""
    x: np.ndarray       # (T, B, I) inputs
    h0: np.ndarray      # (B, H) initial state
    hs: np.ndarray      # (T, B, H) hidden state after each step
    pre: np.ndarray     # (T, B, H) pre-activations a_t (before tanh)


class RNN(Module):
    def __init__(self, input_size: int, hidden_size: int, seed: int = 0, dtype=np.float64):
        self.input_size, self.hidden_size, self.dtype = input_size, hidden_size, dtype
        rng = np.random.default_rng(seed)
        k = 1.0 / np.sqrt(hidden_size)
        H, I = hidden_size, input_size
        self.params = {
            "weight_ih": uniform(rng, (H, I), k, dtype),
            "weight_hh": uniform(rng, (H, H), k, dtype),
            "bias_ih": uniform(rng, (H,), k, dtype),
            "bias_hh": uniform(rng, (H,), k, dtype),
        }

    def forward(self, x: np.ndarray, h0: np.ndarray | None = None) -> tuple[np.ndarray, RNNCache]:
        T, B, _ = x.shape
        H = self.hidden_size
        W_ih, W_hh = self.params["weight_ih"], self.params["weight_hh"]
        h0 = np.zeros((B, H), dtype=x.dtype) if h0 is None else h0
        # Input projections of every step at once: one matmul instead of T.
        pre = (x.reshape(T * B, -1) @ W_ih.T).reshape(T, B, H)  # (T, B, H)
        pre += self.params["bias_ih"] + self.params["bias_hh"]
        hs = np.empty((T, B, H), dtype=x.dtype)
        h = h0
        for t in range(T):
            pre[t] += h @ W_hh.T
            h = np.tanh(pre[t], out=hs[t])
        return hs, RNNCache(x, h0, hs, pre)

    def backward(self, d_output: np.ndarray, cache: RNNCache):
        """d_output: (T, B, H) gradient of the loss w.r.t. every output.

        Returns (dx, dh0, grads) with grads keyed like state_dict().
        """
        x, hs = cache.x, cache.hs
        T, B, H = hs.shape
        W_ih, W_hh = self.params["weight_ih"], self.params["weight_hh"]
        da = np.empty_like(hs)  # (T, B, H) gradient w.r.t. pre-activations
        dh_next = np.zeros((B, H), dtype=hs.dtype)
        for t in range(T - 1, -1, -1):
            dh = d_output[t] + dh_next
            da[t] = dh * (1.0 - hs[t] * hs[t])
            dh_next = da[t] @ W_hh
        h_prev = np.concatenate([cache.h0[None], hs[:-1]], axis=0)  # (T, B, H)
        da2 = da.reshape(T * B, H)
        dsum = da2.sum(axis=0)
        grads = {
            "weight_ih": da2.T @ x.reshape(T * B, -1),
            "weight_hh": da2.T @ h_prev.reshape(T * B, H),
            "bias_ih": dsum,
            "bias_hh": dsum.copy(),
        }
        dx = (da2 @ W_ih).reshape(x.shape)
        return dx, dh_next, grads
