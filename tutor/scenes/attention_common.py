"""The path the attention scenes share: sentence → tokens → X → Q, K, V → attention.

Nothing here is trained. X holds each word's fixed random vector
(engine.tokens.token_vectors), plus its sinusoidal position code unless a scene
asks for none. W_q, W_k, W_v are seeded Gaussian matrices with variance
1/d_model, so every query and key component has about unit variance and the
scaled scores QKᵀ/√d_k about unit variance too: the regime the √d_k is for.
The attention itself is always the engine's scaled_dot_product_attention.

The timing helpers at the end are shared by the two scenes that measure cost.
"""
from __future__ import annotations

import math
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

import engine
from engine.attention import AttentionCache
from engine.tokens import token_vectors

from tutor.frames import Frame, Grid, frozen
from .sentence import sentence_tokens

D_MODEL = 16
_PROJECTION_STREAM = 7411  # keeps the projections' random stream apart from the word vectors'
PRONOUNS = ("it", "its", "they", "them", "he", "she", "him", "her", "this", "that", "which", "who")


@dataclass(frozen=True)
class Sentence:
    tokens: tuple[str, ...]
    note: str            # "" or what the learner must know (no words, cut at MAX_TOKENS)
    X: np.ndarray        # (T, d_model) word vectors (+ position codes)
    positions: bool      # whether X includes the sinusoidal position codes


def read_sentence(sentence: str, seed: int, d_model: int = D_MODEL, positions: bool = True) -> Sentence:
    tokens, note = sentence_tokens(sentence)
    X = token_vectors(tokens, d_model, seed=seed)                       # (T, d_model)
    if positions and tokens:
        X = X + engine.positional_encoding(len(tokens), d_model)
    return Sentence(tuple(tokens), note, X, positions)


@dataclass(frozen=True)
class Projections:
    W_q: np.ndarray      # (d_model, d_k)
    W_k: np.ndarray      # (d_model, d_k)
    W_v: np.ndarray      # (d_model, d_v)


def projections(d_model: int, d_k: int, seed: int, d_v: int | None = None) -> Projections:
    """Seeded W_q, W_k, W_v with N(0, 1/d_model) entries."""
    rng = np.random.default_rng([seed, _PROJECTION_STREAM])
    std = 1.0 / math.sqrt(d_model)
    W_q, W_k = (rng.standard_normal((d_model, d_k)) * std for _ in range(2))
    W_v = rng.standard_normal((d_model, d_v or d_k)) * std
    return Projections(W_q, W_k, W_v)


def qkv(X: np.ndarray, W: Projections) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Q = X·W_q, K = X·W_k, V = X·W_v, each (T, d)."""
    return X @ W.W_q, X @ W.W_k, X @ W.W_v


def attend(Q: np.ndarray, K: np.ndarray, V: np.ndarray, causal: bool = False) -> tuple[np.ndarray, AttentionCache]:
    """The engine's scaled_dot_product_attention; an empty sentence gives empty arrays."""
    if not len(Q):
        mask = np.zeros((0, 0), dtype=bool) if causal else None
        return np.zeros((0, V.shape[1])), AttentionCache(Q, K, V, np.zeros((0, 0)), mask, 1 / math.sqrt(Q.shape[1]))
    return engine.scaled_dot_product_attention(Q, K, V, is_causal=causal)


def self_attention(X: np.ndarray, d_k: int, seed: int, causal: bool = False) -> tuple[np.ndarray, AttentionCache]:
    """One seeded self-attention layer over X (T, d_model): (output (T, d_k), cache)."""
    return attend(*qkv(X, projections(X.shape[1], d_k, seed)), causal=causal)


# -- grids and captions ---------------------------------------------------------------

def weights_grid(title: str, weights: np.ndarray, tokens, shown_rows: int | None = None,
                 mark_row: int | None = None) -> Grid:
    """Attention weights (T, S), 0..1, tokens on both axes; rows ≥ shown_rows not computed yet."""
    values = weights
    if shown_rows is not None and shown_rows < weights.shape[0]:
        values = weights.copy()
        values[shown_rows:] = np.nan
    return Grid(title, frozen(values), tuple(tokens), tuple(tokens), 0.0, 1.0, palette="sequential",
                row_title="query", col_title="key", mark_row=mark_row, fmt="{:.4f}")


def top_attended(weights_row: np.ndarray, tokens, k: int = 3) -> list[tuple[int, float]]:
    """The k keys with the largest weights in one row, largest first: (index, weight)."""
    order = np.argsort(-weights_row, kind="stable")[:k]
    return [(int(j), float(weights_row[j])) for j in order]


def describe_top(weights_row: np.ndarray, tokens, k: int = 3) -> str:
    return ", ".join(f"{tokens[j]!r} {w:.2f}" for j, w in top_attended(weights_row, tokens, k))


def focus_row(tokens, weights: np.ndarray) -> int:
    """The row worth reading first: the last pronoun, else the most peaked row."""
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i].lower() in PRONOUNS:
            return i
    return int(np.argmax(weights.max(axis=1)))


def row_sum_error(weights: np.ndarray) -> float:
    """max |Σ_j w_ij − 1| over the rows."""
    return float(np.max(np.abs(weights.sum(axis=-1) - 1.0))) if weights.size else 0.0


def untrained_note(seed: int, positions: bool = True) -> str:
    what = "word vectors + sinusoidal positions" if positions else "word vectors (no positions)"
    return f"Untrained: {what} through one seeded attention layer (seed {seed}), so the pattern is arbitrary."


def no_words(note: str) -> Frame:
    """The one frame a scene shows for a sentence without words."""
    return Frame((), note)


def with_note(caption: str, note: str) -> str:
    return f"{caption}\n{note}" if note else caption


# -- measuring -------------------------------------------------------------------------

def lengths(first: int, max_length: int) -> list[int]:
    """first, 2·first, 4·first, … up to max_length, ending at max_length itself."""
    out, n = [], first
    while n < max_length:
        out.append(n)
        n *= 2
    out.append(max(max_length, 1))
    return out


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """The median wall time of fn() over `runs` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def runs_for(seconds_per_run: float, budget: float = 0.25, most: int = 5) -> int:
    """How many timed runs fit in a time budget (at least 1, at most `most`)."""
    return int(min(most, max(1, budget // max(seconds_per_run, 1e-9))))


def peak_bytes(fn: Callable[[], object]) -> int:
    """The peak of memory traced by tracemalloc while fn() runs (NumPy reports its arrays to it)."""
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return max(peak - before, 0)


def attention_layer(width: int, seed: int = 0, dtype=np.float32) -> Callable[[np.ndarray], np.ndarray]:
    """Self-attention with projections, width → width: X (n, width) ↦ softmax(QKᵀ/√d)·V."""
    W = projections(width, width, seed)
    W = Projections(*(w.astype(dtype) for w in (W.W_q, W.W_k, W.W_v)))

    def forward(X: np.ndarray) -> np.ndarray:
        Q, K, V = qkv(X, W)
        out, _ = engine.scaled_dot_product_attention(Q, K, V)
        return out
    return forward


def rnn_layer(width: int, seed: int = 0, dtype=np.float32) -> Callable[[np.ndarray], np.ndarray]:
    """The engine's RNN, width → width: X (n, width) ↦ hidden states (n, 1, width)."""
    model = engine.RNN(width, width, seed=seed, dtype=dtype)

    def forward(X: np.ndarray) -> np.ndarray:
        hs, _ = model.forward(X[:, None, :])                        # X: (n, 1, width)
        return hs
    return forward


def human_seconds(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.2f} s"


def human_bytes(b: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if b < 1024 or unit == "GiB":
            return f"{b:.0f} {unit}" if unit == "B" else f"{b:.1f} {unit}"
        b /= 1024
    return f"{b:.1f} GiB"
