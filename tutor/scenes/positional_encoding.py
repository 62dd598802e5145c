"""Sinusoidal positional encoding: the PE matrix and how alike positions are (cosine of PE rows).

A grid shows at most MAX_ROWS positions and MAX_COLS dimensions, so that each
is a whole panel on an 80×24 terminal: past that, every k-th position (and
every k-th sin/cos pair of dimensions) is drawn, labelled with its own number,
and the caption says which. The stride keeps the diagonals of the similarity
grid: every shown pair at one offset is still one stripe.
"""
from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

import engine

from tutor.frames import Frame, Grid, frozen

STEPS = 12           # frames used to reveal each grid
MAX_ROWS = 16        # positions drawn per grid (every k-th past this)
MAX_COLS = 32        # dimensions drawn per grid: whole sin/cos pairs, every k-th pair past this


def shown_positions(length: int) -> np.ndarray:
    """Every position, or every k-th one when there are more than MAX_ROWS."""
    return np.arange(0, length, math.ceil(length / MAX_ROWS))


def shown_dims(d_model: int) -> np.ndarray:
    """Every dimension, or every k-th sin/cos pair (both of its columns) when there are more than MAX_COLS."""
    if d_model <= MAX_COLS:
        return np.arange(d_model)
    pairs = np.arange(0, math.ceil(d_model / 2), math.ceil(d_model / MAX_COLS))
    return np.array([d for i in pairs for d in (2 * i, 2 * i + 1) if d < d_model])


def stride_note(positions: np.ndarray, dims: np.ndarray, length: int, d_model: int) -> str:
    """What the grids leave out, said in the caption; empty when they show everything."""
    parts = []
    if len(positions) < length:
        parts.append(f"one position in {positions[1] - positions[0]} of {length}")
    if len(dims) < d_model:
        parts.append(f"one sin/cos pair in {(dims[2] - dims[0]) // 2} of {d_model} dimensions")
    return f" Shown: {' and '.join(parts)}, to fit the screen." if parts else ""


def cosine_similarity(pe: np.ndarray) -> np.ndarray:
    """(L, L) cos(PE_p, PE_q) = PE_p·PE_q / (‖PE_p‖‖PE_q‖)."""
    norms = np.linalg.norm(pe, axis=1)
    return (pe @ pe.T) / np.outer(norms, norms)


def worked_value(pe: np.ndarray, d_model: int) -> str:
    """One entry of PE computed by hand from the formula, next to the engine's value."""
    L = pe.shape[0]
    pos, i = min(5, L - 1), min(1, (d_model - 1) // 2)
    rate = 10000 ** (2 * i / d_model)
    by_hand = math.sin(pos / rate)
    return (f"PE({pos}, {2 * i}) = sin({pos} / 10000^({2 * i}/{d_model})) = sin({pos} / {rate:.4f}) "
            f"= sin({pos / rate:.4f}) = {by_hand:+.4f}  (engine: {pe[pos, 2 * i]:+.4f})")


def _sub(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def similarity_text(sim: np.ndarray, d_model: int) -> str:
    """A few similarities read off the grid: near, farther, and the same distance elsewhere."""
    L = sim.shape[0]
    if L < 2:
        return "One position: nothing to compare."
    distances = sorted({1, max(1, L // 4), L - 1})
    near = ", ".join(f"cos(PE₀, PE{_sub(d)}) = {sim[0, d]:+.3f}" for d in distances)
    text = f"{near}: nearby positions look alike."
    d = distances[1] if len(distances) > 1 else 1
    if 1 + d < L and d_model % 2 == 0:
        text += (f" The similarity depends only on the distance: cos(PE₁, PE{_sub(1 + d)}) = {sim[1, 1 + d]:+.3f},"
                 f" as for distance {d} above.")
    return text


def _limits(length: int) -> list[int]:
    """How many rows/columns each reveal step shows, ending with all of them."""
    return sorted({max(1, round(length * (k + 1) / STEPS)) for k in range(STEPS)})


def frames(length: int, d_model: int, view: str) -> Iterator[Frame]:
    pe = engine.positional_encoding(length, d_model)                   # (L, d_model)
    sim = cosine_similarity(pe)                                        # (L, L)
    rows_at, cols_at = shown_positions(length), shown_dims(d_model)
    positions = tuple(str(p) for p in rows_at)
    dims = tuple(str(d) for d in cols_at)
    worked = worked_value(pe, d_model) + stride_note(rows_at, cols_at, length, d_model)
    sim_text = similarity_text(sim, d_model)
    pe_shown, sim_shown = pe[np.ix_(rows_at, cols_at)], sim[np.ix_(rows_at, rows_at)]

    def matrix(cols: int) -> Grid:
        values = pe_shown.copy()
        values[:, cols_at >= cols] = np.nan
        last = int(np.searchsorted(cols_at, cols)) - 1
        return Grid("PE", frozen(values), positions, dims, -1.0, 1.0, row_title="position", col_title="dimension",
                    mark_col=last if cols < d_model else None, fmt="{:+.4f}")

    def similarity(rows: int) -> Grid:
        values = sim_shown.copy()
        values[rows_at >= rows] = np.nan
        last = int(np.searchsorted(rows_at, rows)) - 1
        return Grid("cos(PE_p, PE_q)", frozen(values), positions, positions, -1.0, 1.0,
                    row_title="position", col_title="position",
                    mark_row=last if rows < length else None, fmt="{:+.4f}")

    step = 0
    shown: tuple = ()
    if view in ("both", "matrix"):
        for cols in _limits(d_model):
            i = (cols - 1) // 2
            rate = 10000 ** (2 * i / d_model)
            caption = (f"Dimensions 0…{cols - 1} of {d_model}: pair (2i, 2i+1) is sin and cos of pos/10000^(2i/d_model), "
                       f"one frequency per pair; pair i = {i} repeats every {2 * math.pi * rate:.1f} positions.\n{worked}")
            yield Frame((matrix(cols),), caption, step=step)
            step += 1
        shown = (matrix(d_model),)
    if view in ("both", "similarity"):
        for rows in _limits(length):
            caption = (f"Similarity of position codes, rows 0…{rows - 1} of {length}. {sim_text}\n{worked}")
            yield Frame((*shown, similarity(rows)), caption, step=step)
            step += 1
