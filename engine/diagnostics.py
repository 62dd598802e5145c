"""How gradients travel back through time: what the vanishing-gradient lesson shows.

For a loss at the last step, `gradient_flow` walks ∂L/∂s_t back from t = T-1
to 0 through the per-step Jacobians ∂s_t/∂s_{t-1} of the model's state s
(h for RNN and GRU, (h, c) for LSTM), recording their norms and those of the
h-to-h part ∂h_t/∂h_{t-1} (the whole Jacobian for RNN and GRU). Overflow is data
here, not an error: the walk goes on with inf/NaN and says so.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GradientFlow:
    norms: np.ndarray           # (T,) ‖∂L/∂h_t‖, t = 0..T-1 (L depends on h_{T-1} only)
    jacobian_norms: np.ndarray  # (T-1,) spectral norm of ∂s_t/∂s_{t-1}, t = 1..T-1 (batch mean)
    spectral_radius: float      # of W_hh (largest over the gate blocks for LSTM and GRU)
    overflow: bool              # some value above is inf or NaN
    clipped_norms: np.ndarray | None = None  # (T,) the same walk, vector clipped to clip_norm each step
    cell_norms: np.ndarray | None = None     # (T,) ‖∂L/∂c_t‖, LSTM only
    # (T-1,) spectral norm of the h-to-h block ∂h_t/∂h_{t-1} (c_{t-1} held fixed); for RNN
    # and GRU the state is h alone, so this equals jacobian_norms
    h_jacobian_norms: np.ndarray | None = None


def gradient_flow(model, x: np.ndarray, state=None, d_last: np.ndarray | None = None,
                  clip_norm: float | None = None, dtype=np.float64) -> GradientFlow:
    """Backpropagate a loss at the last step of x (T, B, I) through time.

    d_last: ∂L/∂h_{T-1}, (B, H); by default a unit-norm vector of equal
    entries, so norms[-1] is 1 and the others read as gains. With clip_norm,
    clipped_norms repeats the walk rescaling ∂L/∂s_t to at most clip_norm
    whenever it grows past it (gradient clipping applied step by step).

    dtype is the number format the walk back is carried out in: each
    Jacobian is rounded to it and every product ∂L/∂s_t is held in it, so in
    float16 a growing gradient overflows to inf once an entry passes 65504
    (and the steps before it become inf or NaN), and a vanishing one
    underflows to 0 below 6e-8. The forward pass is the model's own; the
    norms reported are of the vectors as the walk holds them.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        _, cache = model.forward(x, state)
        T, B, H = cache.hs.shape
        S = 2 * H if isinstance(cache.final, tuple) else H  # (h, c) for the LSTM
        g = np.zeros((B, S), dtype=dtype)  # ∂L/∂s_t, walking t down from T-1
        g[:, :H] = np.full((B, H), 1.0 / np.sqrt(B * H)) if d_last is None else d_last
        g_clip = g.copy()
        h_norms, c_norms, clipped = (np.empty(T) for _ in range(3))
        jac_norms, h_jac_norms = np.empty(T - 1), np.empty(T - 1)
        for t in range(T - 1, -1, -1):
            h_norms[t], c_norms[t] = _norm(g[:, :H]), _norm(g[:, H:])
            clipped[t] = _norm(g_clip[:, :H])
            if t == 0:
                break
            J = model.step_jacobian(cache, t).astype(dtype)  # (B, S, S) ∂s_t/∂s_{t-1}
            jac_norms[t - 1] = _spectral_norm(J.astype(np.float64))
            h_jac_norms[t - 1] = _spectral_norm(J[:, :H, :H].astype(np.float64)) if S > H else jac_norms[t - 1]
            g = np.einsum("bi,bij->bj", g, J)
            if clip_norm is not None:
                g_clip = _clip(np.einsum("bi,bij->bj", g_clip, J), clip_norm)
        cell = c_norms if S > H else None
        clipped = clipped if clip_norm is not None else None
        kept = [a for a in (h_norms, jac_norms, h_jac_norms, cell, clipped) if a is not None]
        overflow = not all(np.isfinite(a).all() for a in kept)
        return GradientFlow(h_norms, jac_norms, spectral_radius(model), overflow, clipped, cell, h_jac_norms)


def _clip(g: np.ndarray, max_norm: float) -> np.ndarray:
    norm = _norm(g)
    return (g * (max_norm / norm)).astype(g.dtype) if norm > max_norm else g


def _norm(a: np.ndarray) -> float:
    """Euclidean norm that overflows only when an entry does (measured in float64)."""
    a = np.asarray(a, dtype=np.float64)
    big = float(np.abs(a).max(initial=0.0))
    if big == 0.0 or not np.isfinite(big):
        return big
    return big * float(np.linalg.norm(a / big))


def _spectral_norm(J: np.ndarray) -> float:
    """Largest singular value of each (S, S) Jacobian, averaged over the batch."""
    if not np.isfinite(J).all():
        return float("inf")
    return float(np.linalg.norm(J, 2, axis=(1, 2)).mean())


def _blocks(model) -> list[np.ndarray]:
    """W_hh split into its square (H, H) gate blocks (one for the RNN)."""
    W = model.params["weight_hh"]
    H = W.shape[1]
    return [W[k * H:(k + 1) * H] for k in range(W.shape[0] // H)]


def spectral_radius(model) -> float:
    """max |eigenvalue| of W_hh; for gated models the largest over its gate blocks."""
    return max(_radius(Wk) for Wk in _blocks(model))


def _radius(W: np.ndarray) -> float:
    if not np.isfinite(W).all():
        return float("inf")
    return float(np.abs(np.linalg.eigvals(W.astype(np.float64))).max())


def set_spectral_radius(model, radius: float) -> None:
    """Rescale W_hh in place so its spectral radius (each gate block's) is `radius`."""
    for Wk in _blocks(model):
        current = _radius(Wk)
        if current == 0 or not np.isfinite(current):
            raise ValueError(f"a W_hh block has spectral radius {current} and cannot be rescaled")
        Wk *= radius / current
