"""Cross-attention of the trained encoder–decoder Transformer on a phrase.

The engine's shipped phrase Transformer (one decoder layer, two heads)
translates the phrase greedily. Its decoder's cross-attention weights, with
queries from the Italian written so far and keys and values from the encoded
English, are drawn per head side by side and averaged over the heads (the
engine's attention_grid), one decoding step (row) per frame. Rows are the
Italian output tokens, columns the English source tokens; the <eos> step is
left out.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from engine.recipes.phrases import load_phrase_transformer

from tutor.frames import Frame, Row
from .translation_common import alignment_frames, alignment_grid, closing_note, row_sums, run_translation, strongest

PER_ROW = 2          # head grids side by side


def run(phrase: str, model: str = "trained", seed: int = 0):
    """(phrase, greedy translation, cross-attention (H, T + 1, S), phrase set)."""
    shipped, phrases, _ = load_phrase_transformer()
    p, tr, weights = run_translation(shipped, phrases, phrase, model, seed, max_tokens=shipped.config.max_len)
    return p, tr, weights, phrases


def panels(weights: np.ndarray, rows: tuple[str, ...], cols: tuple[str, ...], shown: int, mark: int) -> tuple:
    """One grid per head (PER_ROW to a row), then their mean. weights (H, T, S)."""
    H = weights.shape[0]
    heads = [alignment_grid(f"head {h + 1}", weights[h], rows, cols, shown, mark) for h in range(H)]
    mean = alignment_grid(f"mean of the {H} heads", weights.mean(axis=0), rows, cols, shown, mark)
    return (*(Row(tuple(heads[k:k + PER_ROW])) for k in range(0, H, PER_ROW)), mean)


def frames(phrase: str, model: str = "trained", seed: int = 0) -> Iterator[Frame]:
    p, tr, weights, phrases = run(phrase, model, seed)
    cols = p.labels

    def step_caption(t, w):
        rows, mean = tr.words, w.mean(axis=0)
        heads = "; ".join(f"head {h + 1} → {strongest(w[h, t], cols)}" for h in range(w.shape[0]))
        return (f"Step {t + 1}/{len(rows)}: the query of {rows[t]!r} (from <bos> {' '.join(rows[:t])}".rstrip()
                + f") meets the keys of all {len(cols)} English tokens: {heads}; "
                  f"mean {strongest(mean[t], cols, 2)}.")

    def final_caption(w):
        rows, mean = tr.words, w.mean(axis=0)
        pairs = "; ".join(f"{r!r} → {strongest(row, cols, min(2, len(cols)))}" for r, row in zip(rows, mean))
        return (f"{' '.join(p.words)!r} → {' '.join(rows)!r}, a {len(rows)} × {len(cols)} grid per head. "
                f"Strongest, mean of {w.shape[0]} heads: {pairs}. {row_sums(w)}"
                + closing_note(p.words, tr, phrases, model == "trained", seed))

    yield from alignment_frames(p, tr, weights, panels, step_caption, final_caption)
