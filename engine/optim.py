"""Optimizers and gradient clipping over dicts of parameter arrays."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np


def global_norm(grads: Mapping[str, np.ndarray]) -> float:
    return float(np.sqrt(sum(float(np.sum(g.astype(np.float64) ** 2)) for g in grads.values())))


def clip_grad_norm(grads: dict[str, np.ndarray], max_norm: float) -> float:
    """Scale all gradients in place so their global norm is at most max_norm.

    Returns the norm before clipping, like torch.nn.utils.clip_grad_norm_.
    A non-finite norm is returned as is and the gradients are left untouched.
    """
    total = global_norm(grads)
    if np.isfinite(total) and total > max_norm:
        scale = max_norm / (total + 1e-6)
        for g in grads.values():
            g *= scale
    return total


class SGD:
    def __init__(self, params: dict[str, np.ndarray], lr: float = 0.1):
        self.params, self.lr = params, lr

    def step(self, grads: Mapping[str, np.ndarray]) -> None:
        for name, p in self.params.items():
            p -= self.lr * grads[name]


class Adam:
    """Adam as in torch.optim.Adam (no weight decay, no amsgrad)."""

    def __init__(self, params: dict[str, np.ndarray], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, grads: Mapping[str, np.ndarray]) -> None:
        self.t += 1
        b1, b2 = self.betas
        c1, c2 = 1 - b1 ** self.t, 1 - b2 ** self.t
        for name, p in self.params.items():
            g = grads[name]
            m, v = self.m[name], self.v[name]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)
