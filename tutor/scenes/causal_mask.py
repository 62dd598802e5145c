"""The causal mask: masked self-attention, where position t only sees positions ≤ t."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from engine.attention import causal_mask

from .attention_common import (D_MODEL, describe_top, no_words, read_sentence, row_sum_error, self_attention,
                               untrained_note, weights_grid, with_note)
from tutor.frames import Frame, Grid, Row, frozen


def run(sentence: str, seed: int):
    """The sentence and the engine's cache for masked self-attention (is_causal=True)."""
    s = read_sentence(sentence, seed)
    _, cache = self_attention(s.X, D_MODEL, seed, causal=True)
    return s, cache


def scores_grid(scaled: np.ndarray, tokens, shown: int, mark: int) -> Grid:
    """QKᵀ/√d_k with −inf where masked; rows ≥ shown not computed yet."""
    values = scaled.copy()
    values[shown:] = np.nan
    finite = scaled[np.isfinite(scaled)]
    limit = float(np.max(np.abs(finite))) if finite.size else 1.0
    return Grid("QKᵀ/√d_k + mask", frozen(values), tuple(tokens), tuple(tokens), -limit, limit,
                row_title="query", col_title="key", mark_row=mark, fmt="{:+.4f}")


def frames(sentence: str, seed: int) -> Iterator[Frame]:
    s, cache = run(sentence, seed)
    tokens, T = s.tokens, len(s.tokens)
    if not T:
        yield no_words(s.note)
        return
    weights, scaled = cache.weights, cache.scaled_scores
    upper = causal_mask(T)
    masked_zero = bool(np.all(weights[upper] == 0.0))
    for t in range(T):
        panels = (Row((scores_grid(scaled, tokens, t + 1, t),
                       weights_grid("softmax: weights", weights, tokens, shown_rows=t + 1, mark_row=t))),)
        hidden = T - 1 - t
        caption = (f"Position {t + 1}/{T}, {tokens[t]!r}, sees {tokens[0]!r}…{tokens[t]!r} only: "
                   f"{describe_top(weights[t], tokens, min(3, t + 1))}. "
                   + (f"{hidden} future position{'s' if hidden != 1 else ''} masked: score −∞, weight exactly 0."
                      if hidden else "Nothing left to mask: the last position sees the whole sentence."))
        if t == T - 1:
            caption += (f"\nAll {int(upper.sum())} cells above the diagonal are masked and "
                        f"{'exactly 0' if masked_zero else 'NOT all zero'}; each row sums to 1 "
                        f"(±{row_sum_error(weights):.0e}). {untrained_note(seed)}")
        yield Frame(panels, with_note(caption, s.note), step=t)
