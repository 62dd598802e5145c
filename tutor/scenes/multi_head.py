"""Multi-head attention: each head's attention matrix for the same sentence, side by side."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

import engine

from .attention_common import no_words, read_sentence, untrained_note, weights_grid, with_note
from tutor.frames import Frame, Row, Table

HEAD_DIM = 8         # embed_dim = heads × HEAD_DIM, so every head count from 1 to 8 divides it


def run(sentence: str, heads: int, seed: int):
    """The sentence (word vectors + positions, width heads·HEAD_DIM) and per-head weights (H, T, T)."""
    E = heads * HEAD_DIM
    s = read_sentence(sentence, seed, d_model=E)
    if not s.tokens:
        return s, np.zeros((heads, 0, 0))
    x = s.X[:, None, :]                                               # (T, B=1, E)
    _, cache = engine.MultiHeadAttention(E, heads, seed=seed).forward(x, x, x)
    return s, cache.weights[0]                                        # (H, T, T)


def strongest_pair(w: np.ndarray) -> tuple[int, int, float]:
    """The largest weight a token gives another token (off the diagonal); the diagonal if T = 1."""
    T = w.shape[0]
    off = w if T == 1 else np.where(np.eye(T, dtype=bool), -1.0, w)
    i, j = np.unravel_index(int(np.argmax(off)), off.shape)
    return int(i), int(j), float(w[i, j])


def entropy_bits(w: np.ndarray) -> float:
    logs = np.log2(w, out=np.zeros_like(w), where=w > 0)
    return float(np.mean(-(w * logs).sum(axis=-1)))


def head_table(weights: np.ndarray, tokens, shown: int) -> Table:
    rows = []
    for h in range(shown):
        i, j, v = strongest_pair(weights[h])
        rows.append((f"{h + 1}", f"{tokens[i]} → {tokens[j]}", f"{v:.3f}", f"{entropy_bits(weights[h]):.2f}"))
    return Table("what each head attends to", ("head", "strongest pair", "weight", "entropy (bits)"),
                 tuple(rows), highlight_row=shown - 1)


def frames(sentence: str, heads: int, seed: int) -> Iterator[Frame]:
    s, weights = run(sentence, heads, seed)
    tokens, T = s.tokens, len(s.tokens)
    if not T:
        yield no_words(s.note)
        return
    E = heads * HEAD_DIM
    grids = [weights_grid(f"head {h + 1}", weights[h], tokens) for h in range(heads)]
    if heads > 1:
        gaps = [np.abs(weights[a] - weights[b]).mean() for a in range(heads) for b in range(a + 1, heads)]
        differ = (f"Same tokens and formula, own W_q, W_k per head: two heads' weights differ by "
                  f"{np.mean(gaps):.3f} on average (uniform is {1 / T:.3f}).")
    else:
        differ = "One head: a single attention pattern; add heads to see them differ."
    for h in range(heads):
        shown = grids[: h + 1]
        panels = tuple(Row(tuple(shown[k:k + 2])) for k in range(0, len(shown), 2))
        i, j, v = strongest_pair(weights[h])
        caption = (f"Head {h + 1}/{heads} ({HEAD_DIM} of embed_dim {E}): strongest pair "
                   f"{tokens[i]!r} → {tokens[j]!r} at {v:.2f}.")
        if h == heads - 1:
            caption += f"\n{differ} {untrained_note(seed)}"
        yield Frame((*panels, head_table(weights, tokens, h + 1)), with_note(caption, s.note), step=h)
