"""Softmax saturation: how peaked attention gets as d_k grows, with and without ÷√d_k.

For each d_k = 1, 2, 4, … ≤ max_dk: random queries and keys with unit-variance
components, so q·k has variance d_k. Without scaling the scores spread like
√d_k and the softmax collapses onto one key (its gradient vanishes); dividing
by √d_k keeps their spread at 1 whatever d_k is.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

import engine
from engine.attention import masked_softmax

from tutor.frames import Chart, Frame, Grid, Row, Series, frozen

N_QUERIES = 256      # averaged over
N_KEYS = 16
SHOWN = 8            # queries drawn in the grid


@dataclass(frozen=True)
class Measure:
    d_k: int
    score_std: float         # spread of q·k
    weights: np.ndarray      # (N_QUERIES, N_KEYS) of the shown kind (scaled or not)
    max_weight: tuple[float, float]   # mean largest weight: (scaled, unscaled)
    entropy: tuple[float, float]      # mean entropy in bits
    jacobian: tuple[float, float]     # mean ‖∂w/∂s‖_F, the softmax's gradient


def dks(max_dk: int) -> list[int]:
    return [2 ** p for p in range(int(math.log2(max_dk)) + 1)]


def queries_keys(d_k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng([seed, d_k])
    return rng.standard_normal((N_QUERIES, d_k)), rng.standard_normal((N_KEYS, d_k))


def both_weights(d_k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(softmax(qkᵀ/√d_k) from the engine's attention, softmax(qkᵀ) unscaled), each (N_QUERIES, N_KEYS)."""
    q, k = queries_keys(d_k, seed)
    _, cache = engine.scaled_dot_product_attention(q, k, np.eye(N_KEYS))
    unscaled = masked_softmax(q @ k.T)
    return cache.weights, unscaled


def entropy_bits(w: np.ndarray) -> float:
    """Mean entropy of the rows, in bits (0·log 0 = 0)."""
    logs = np.log2(w, out=np.zeros_like(w), where=w > 0)
    return float(np.mean(-(w * logs).sum(axis=1)))


def jacobian_norm(w: np.ndarray) -> float:
    """Mean Frobenius norm of ∂softmax/∂scores = diag(w) − w·wᵀ over the rows."""
    J = -w[:, :, None] * w[:, None, :]                               # (N, S, S)
    J[:, np.arange(w.shape[1]), np.arange(w.shape[1])] += w
    return float(np.mean(np.sqrt((J * J).sum(axis=(1, 2)))))


def measure(d_k: int, seed: int, scaled: bool) -> Measure:
    w_s, w_u = both_weights(d_k, seed)
    q, k = queries_keys(d_k, seed)
    return Measure(d_k, float((q @ k.T).std()), w_s if scaled else w_u,
                   (float(w_s.max(axis=1).mean()), float(w_u.max(axis=1).mean())),
                   (entropy_bits(w_s), entropy_bits(w_u)),
                   (jacobian_norm(w_s), jacobian_norm(w_u)))


def _chart(title: str, x: list[float], pairs: list[tuple[float, float]], x_hi: float,
           y_range: tuple[float, float], y_label: str) -> Chart:
    xs = frozen(np.array(x))
    return Chart(title, (Series("÷√d_k", xs, frozen(np.array([p[0] for p in pairs]))),
                         Series("no scaling", xs, frozen(np.array([p[1] for p in pairs])))),
                 (0.0, x_hi), y_range, x_label="log₂ d_k", y_label=y_label)


def frames(max_dk: int, scaled: bool, seed: int) -> Iterator[Frame]:
    sizes = dks(max_dk)
    x_hi = max(math.log2(sizes[-1]), 1.0)
    done: list[Measure] = []
    uniform, top_entropy = 1 / N_KEYS, math.log2(N_KEYS)
    for step, d_k in enumerate(sizes):
        m = measure(d_k, seed, scaled)
        done.append(m)
        x = [math.log2(d.d_k) for d in done]
        charts = Row((_chart("mean largest weight", x, [d.max_weight for d in done], x_hi, (0.0, 1.0), "max_j w_ij"),
                      _chart("mean entropy (bits)", x, [d.entropy for d in done], x_hi, (0.0, top_entropy), "H(w_i)")))
        kind = f"softmax(qkᵀ/√{d_k})" if scaled else "softmax(qkᵀ), no scaling"
        grid = Grid(f"{kind}, d_k = {d_k}", frozen(m.weights[:SHOWN]),
                    tuple(f"q{i + 1}" for i in range(SHOWN)), tuple(f"k{j + 1}" for j in range(N_KEYS)),
                    0.0, 1.0, palette="sequential", row_title="query", col_title="key", fmt="{:.4f}")
        caption = (f"d_k = {d_k}: q·k has std {m.score_std:.2f} (√d_k = {math.sqrt(d_k):.2f}); "
                   f"÷√d_k brings it back to about 1.\n"
                   f"Mean largest weight over {N_QUERIES} queries × {N_KEYS} keys: "
                   f"{m.max_weight[0]:.2f} scaled vs {m.max_weight[1]:.2f} unscaled (uniform {uniform:.3f}); "
                   f"entropy {m.entropy[0]:.2f} vs {m.entropy[1]:.2f} of {top_entropy:.0f} bits.\n"
                   f"Softmax gradient ‖∂w/∂s‖: {m.jacobian[0]:.3f} scaled vs {m.jacobian[1]:.3f} unscaled"
                   + (" — saturated: almost no gradient flows." if m.jacobian[1] < 0.1 * m.jacobian[0] else "."))
        yield Frame((charts, grid), caption, step=step)
