"""The products a recurrent layer can do for every step at once, shared by RNN, LSTM and GRU.

The input projection x_t·W_ihᵀ + b_ih in forward, and in backward the input
and weight gradients, which need no recurrence: a few big matmuls each.
"""
from __future__ import annotations

import numpy as np


# The products over all T·B rows at once (the input projections in forward,
# the input gradient in backward) run in blocks of rows of at most 2¹⁹
# multiply-adds: OpenBLAS takes its small-product kernels there, and each
# block's bias add finds the block still in cache. At T=200, B=32, I=32, H=64
# (run order shuffled) forward + backward took 1-5% less time for the RNN and
# the LSTM in float32 and 6% less for the RNN in float64, against the same
# code in one block; the GRU was unchanged; blocks of 2¹⁸ or 2²⁰ gained nothing.
_BLOCK_MNK = 1 << 19


def _row_blocks(rows: int, k_times_n: int) -> list[slice]:
    """Slices of `rows` for a product (rows, k)·(k, n), each of at most _BLOCK_MNK multiply-adds."""
    step = max(1, _BLOCK_MNK // max(k_times_n, 1))
    return [slice(i, i + step) for i in range(0, rows, step)]


def input_projection(x: np.ndarray, W: np.ndarray, bias: np.ndarray, tokens=None) -> np.ndarray:
    """x_t·Wᵀ + bias for every step at once: x (T, B, I), W (G, I), bias (G,) → (T, B, G).

    tokens: optional (table (V, I), ids (T, B)) with x = table[ids], inputs that are rows of
    an embedding table: when there are more steps·sequences than rows, each row is projected
    once and the steps look theirs up (V·I·G multiply-adds instead of T·B·I·G: at a character
    language model's 73 rows and 1024 steps·sequences this took a fifth of the time).
    """
    T, B, I = x.shape
    G = W.shape[0]
    if tokens is not None and T * B > len(tokens[0]):
        table, ids = tokens
        rows = table @ W.T  # (V, G)
        rows += bias
        return np.take(rows, ids, axis=0)  # (T, B, G)
    out = np.empty((T, B, G), dtype=np.result_type(x, W))
    xs, flat = x.reshape(T * B, I), out.reshape(T * B, G)
    W_T = np.ascontiguousarray(W.T)  # (I, G)
    for rows in _row_blocks(T * B, I * G):
        np.matmul(xs[rows], W_T, out=flat[rows])
        flat[rows] += bias
    return out


def input_and_weight_grads(W_ih: np.ndarray, da_ih: np.ndarray, da_hh: np.ndarray,
                           x: np.ndarray, h0: np.ndarray, hs: np.ndarray, tokens=None):
    """The gradients that need no recurrence, for all steps in a few big matmuls.

    da_ih, da_hh: (T, B, G) gradients w.r.t. x_t·W_ihᵀ + b_ih and
    h_{t-1}·W_hhᵀ + b_hh (the same array for RNN and LSTM; GRU's differ).
    Returns (dx, grads) with grads keyed like a recurrent state_dict(). With tokens =
    (table (V, I), ids (T, B)), x = table[ids], dx is ∂L/∂table (V, I) instead: the steps'
    gradients summed per table row first (per_row_sums), the input products then have V
    rows instead of T·B (at 73 rows, 1024 steps·sequences and G = 192-384 the input side of
    backward took 0.15-0.2 ms instead of 0.35-0.6 ms).
    """
    T, B, G = da_ih.shape
    dih = da_ih.reshape(T * B, G)  # (T·B, G)
    dhh = da_hh.reshape(T * B, G)
    # Step 0 reads h0, steps 1.. read hs[:-1]; a zero h0 (a fresh state) adds nothing.
    if T > 1 and not h0.any():
        dW_hh = dhh[B:].T @ hs[:-1].reshape((T - 1) * B, -1)
    else:
        dW_hh = da_hh[0].T @ h0
        if T > 1:
            dW_hh += dhh[B:].T @ hs[:-1].reshape((T - 1) * B, -1)
    ones = np.ones(T * B, dtype=dih.dtype)  # sums over steps and batch, as fast matrix-vector products
    if tokens is not None:
        table, ids = tokens
        per_row = per_row_sums(dih, np.ravel(ids), len(table))  # (V, G)
        db_ih = np.ones(len(table), dtype=dih.dtype) @ per_row
        grads = {"weight_ih": per_row.T @ table, "weight_hh": dW_hh, "bias_ih": db_ih,
                 "bias_hh": db_ih.copy() if da_hh is da_ih else ones @ dhh}
        return per_row @ W_ih, grads
    db_ih = ones @ dih
    grads = {
        "weight_ih": dih.T @ x.reshape(T * B, -1),
        "weight_hh": dW_hh,
        "bias_ih": db_ih,
        "bias_hh": db_ih.copy() if da_hh is da_ih else ones @ dhh,
    }
    dx = np.empty((T * B, W_ih.shape[1]), dtype=np.result_type(dih, W_ih))
    for rows in _row_blocks(T * B, G * W_ih.shape[1]):
        np.matmul(dih[rows], W_ih, out=dx[rows])
    return dx.reshape(x.shape), grads


# Rows of sorted ids per block in per_row_sums: a block of 128 sorted steps·sequences spans a
# few consecutive table rows, so its one-hot product is a few rows tall (blocks of 64 and 256
# measured no faster).
_SUM_BLOCK = 128


def per_row_sums(d: np.ndarray, ids: np.ndarray, rows: int) -> np.ndarray:
    """(rows, G): for each table row v, the sum of the rows d[n] (d (N, G)) with ids[n] = v.

    This is onehot(ids)ᵀ·d; that one-hot matrix is mostly zeros (98% at 73 rows), so the
    rows of d are sorted by id and each block of sorted rows is multiplied by the one-hot
    matrix of the few ids it holds."""
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    d_sorted = np.take(d, order, axis=0)
    out = np.zeros((rows, d.shape[1]), dtype=d.dtype)
    for start in range(0, len(ids), _SUM_BLOCK):
        block = sorted_ids[start:start + _SUM_BLOCK]
        first, last = int(block[0]), int(block[-1])
        one_hot = (block == np.arange(first, last + 1)[:, None]).astype(d.dtype)
        out[first:last + 1] += one_hot @ d_sorted[start:start + _SUM_BLOCK]
    return out
