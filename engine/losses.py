"""Losses that return the loss and its gradient together."""
from __future__ import annotations

import numpy as np

from .functional import log_softmax


def cross_entropy(logits: np.ndarray, targets: np.ndarray,
                  mask: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Mean softmax cross-entropy over the unmasked positions.

    logits: (..., C); targets: integer array of logits.shape[:-1];
    mask: optional bool array of the same shape, True where a position counts
    (padding is False). Returns (loss, dlogits) with dlogits shaped like logits.
    """
    C = logits.shape[-1]
    flat = logits.reshape(-1, C)  # (N, C)
    t = np.asarray(targets).reshape(-1)
    m = np.ones_like(t, dtype=bool) if mask is None else np.asarray(mask, dtype=bool).reshape(-1)
    count = max(int(m.sum()), 1)
    logp = log_softmax(flat, axis=-1)
    rows = np.arange(flat.shape[0])
    loss = -(logp[rows, t] * m).sum() / count
    dflat = np.exp(logp)
    dflat[rows, t] -= 1.0
    dflat *= (m / count)[:, None]
    return float(loss), dflat.reshape(logits.shape)
