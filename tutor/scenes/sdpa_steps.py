"""Scaled dot-product attention in four steps: QKᵀ, ÷√d_k, softmax, weights·V."""
from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from .attention_common import D_MODEL, attend, projections, qkv, read_sentence, row_sum_error, with_note, no_words
from tutor.frames import Frame, Grid, Row, frozen


def run(sentence: str, d_k: int, seed: int):
    """The sentence and the engine's (output, cache) for it; the cache holds Q, K, V and the weights."""
    s = read_sentence(sentence, seed, positions=False)
    Q, K, V = qkv(s.X, projections(D_MODEL, d_k, seed))              # (T, d_k) each
    output, cache = attend(Q, K, V)
    return s, output, cache


def _signed(title: str, values: np.ndarray, rows, cols, limit: float) -> Grid:
    return Grid(title, frozen(values), tuple(rows), tuple(cols), -limit, limit, fmt="{:+.4f}")


def _limit(values: np.ndarray) -> float:
    m = float(np.max(np.abs(values))) if values.size else 0.0
    return m if m > 0 else 1.0


def _pair(values: np.ndarray, tokens) -> str:
    i, j = np.unravel_index(int(np.argmax(values)), values.shape)
    return f"q({tokens[i]})·k({tokens[j]}) = {values[i, j]:+.2f}"


def frames(sentence: str, d_k: int, seed: int) -> Iterator[Frame]:
    s, output, cache = run(sentence, d_k, seed)
    tokens, T = s.tokens, len(s.tokens)
    if not T:
        yield no_words(s.note)
        return
    scores, scaled, weights = cache.scores, cache.scaled_scores, cache.weights
    root = math.sqrt(d_k)
    limit = _limit(scores)
    dims = tuple(str(c + 1) for c in range(d_k))
    grids = (
        _signed("1  QKᵀ", scores, tokens, tokens, limit),
        _signed(f"2  QKᵀ/√{d_k}", scaled, tokens, tokens, limit),
        Grid("3  softmax, rows sum to 1", frozen(weights), tokens, tokens, 0.0, 1.0, palette="sequential",
             fmt="{:.4f}"),
        _signed("4  output = weights·V", output, tokens, dims, _limit(output)),
    )
    setup = (f"Q, K, V = X·W_q, X·W_k, X·W_v: {T} word vectors of {D_MODEL} dims through seeded "
             f"{D_MODEL}×{d_k} projections (seed {seed}).")
    i = int(np.argmax(weights[0]))
    terms = [f"{weights[0, j]:.2f}·({cache.v[j, 0]:+.2f})" for j in range(min(T, 4))]
    worked = " + ".join(terms) + (" + …" if T > 4 else "")
    captions = (
        f"Step 1/4 — scores QKᵀ: q_i·k_j for every query i (row) and key j (column). {setup}\n"
        f"Largest {_pair(scores, tokens)}; spread (std) {scores.std():.2f}.",
        f"Step 2/4 — divide by √d_k = √{d_k} = {root:.3f}: the spread of the scores goes from "
        f"{scores.std():.2f} to {scaled.std():.2f} (same colour scale as step 1).",
        f"Step 3/4 — softmax along each row: every weight lies in 0..1 and each row sums to 1 "
        f"(largest deviation {row_sum_error(weights):.1e}). Row {tokens[0]!r} puts {weights[0, i]:.2f} on {tokens[i]!r}.",
        f"Step 4/4 — output = weights·V, {T}×{d_k} (token × dimension): row i mixes the value vectors "
        f"by row i's weights.\n"
        f"output[{tokens[0]!r}, 1] = {worked} = {output[0, 0]:+.4f}",
    )
    for step in range(4):
        shown = grids[: step + 1]
        panels = tuple(Row(shown[k:k + 2]) for k in range(0, len(shown), 2))
        yield Frame(panels, with_note(captions[step], s.note), step=step)
