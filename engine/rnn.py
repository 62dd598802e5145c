"""Vanilla (Elman) RNN with tanh, laid out like a single-layer torch.nn.RNN.

    h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh)
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .module import Module, recurrent_params
from .recurrent_projection import input_and_weight_grads, input_projection


@dataclass(frozen=True)
class RNNCache:
    """What backward needs, and what the scenes draw."""
    x: np.ndarray       # (T, B, I) inputs
    h0: np.ndarray      # (B, H) initial state
    hs: np.ndarray      # (T, B, H) hidden state after each step
    pre: np.ndarray     # (T, B, H) pre-activations a_t (before tanh)
    tokens: tuple | None = None  # (table, ids) when forward was given them: backward's dx is then ∂L/∂table

    @property
    def final(self) -> np.ndarray:
        """h_T, the state after the last step (B, H)."""
        return self.hs[-1]


class RNN(Module):
    def __init__(self, input_size: int, hidden_size: int, seed: int = 0, dtype=np.float64):
        self.input_size, self.hidden_size, self.dtype = input_size, hidden_size, dtype
        self.params = recurrent_params(input_size, hidden_size, 1, seed, dtype)

    def forward(self, x: np.ndarray, h0: np.ndarray | None = None, tokens=None) -> tuple[np.ndarray, RNNCache]:
        """x (T, B, I); tokens: optional (table, ids) with x = table[ids] (see input_projection)."""
        T, B, _ = x.shape
        H = self.hidden_size
        W_ih, W_hh = self.params["weight_ih"], self.params["weight_hh"]
        pre = input_projection(x, W_ih, self.params["bias_ih"] + self.params["bias_hh"], tokens)  # (T, B, H)
        h0 = np.zeros((B, H), dtype=pre.dtype) if h0 is None else np.asarray(h0, dtype=pre.dtype)
        hs = np.empty((T, B, H), dtype=pre.dtype)
        hW = np.empty((B, H), dtype=pre.dtype)  # h_{t-1}·W_hhᵀ, reused every step
        W_hhT = np.ascontiguousarray(W_hh.T)  # (H, H); C order is faster
        h = h0
        for a_t, h_t in zip(pre, hs):  # views of step t
            a_t += np.dot(h, W_hhT, out=hW)  # dot: less call overhead than matmul
            h = np.tanh(a_t, out=h_t)
        return hs, RNNCache(x, h0, hs, pre, tokens)

    def backward(self, d_output: np.ndarray | None, cache: RNNCache,
                 d_final: np.ndarray | None = None):
        """d_output: (T, B, H) gradient of the loss w.r.t. every output (None: zeros).

        d_final: optional (B, H) gradient w.r.t. the final state h_T, on top
        of d_output[-1]. Returns (dx, dh0, grads) with grads keyed like state_dict(); dx is
        ∂L/∂table (V, I) when forward was given tokens=(table, ids).
        """
        x, hs = cache.x, cache.hs
        T, B, H = hs.shape
        W_ih, W_hh = self.params["weight_ih"], self.params["weight_hh"]
        da = np.multiply(hs, hs)
        np.subtract(1.0, da, out=da)  # (T, B, H) tanh'(a_t); becomes ∂L/∂a_t in the loop
        dh_next = np.zeros((B, H), dtype=da.dtype)  # ∂L/∂h_t through h_{t+1}
        if d_final is not None:
            dh_next += d_final
        dh = np.empty_like(dh_next)
        # Steps T-1 … 0 as views from zip (indexing each step made this loop ~14% slower).
        d_outs = itertools.repeat(None, T) if d_output is None else d_output[::-1]
        for d_t, da_t in zip(d_outs, da[::-1]):
            dh_t = dh_next if d_t is None else np.add(d_t, dh_next, out=dh)
            np.multiply(dh_t, da_t, out=da_t)
            np.dot(da_t, W_hh, out=dh_next)
        dx, grads = input_and_weight_grads(W_ih, da, da, x, cache.h0, hs, cache.tokens)
        return dx, dh_next, grads

    def step_jacobian(self, cache: RNNCache, t: int) -> np.ndarray:
        """∂h_t/∂h_{t-1} for each sequence: (B, H, H) = diag(1 - h_t²)·W_hh."""
        h = cache.hs[t]
        return (1.0 - h * h)[:, :, None] * self.params["weight_hh"]
