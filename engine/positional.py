"""Sinusoidal positional encoding, exactly as in "Attention Is All You Need" (§3.5).

    PE(pos, 2i)   = sin(pos / 10000^(2i/d_model))
    PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))
"""
from __future__ import annotations

import numpy as np


def positional_encoding(length: int, d_model: int, dtype=np.float64) -> np.ndarray:
    """(length, d_model): row pos is the code added to the embedding at position pos."""
    pos = np.arange(length, dtype=np.float64)[:, None]  # (length, 1)
    two_i = np.arange(0, d_model, 2, dtype=np.float64)  # (⌈d_model/2⌉,)
    angle = pos / 10000.0 ** (two_i / d_model)  # (length, ⌈d_model/2⌉)
    pe = np.empty((length, d_model), dtype=np.float64)
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, : d_model // 2])
    return pe.astype(dtype)
