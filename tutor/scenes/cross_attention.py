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
from .translation_common import (alignment_grid, cross_weights, no_phrase, read_phrase, row_sums,
                                 strongest, training_note, translate, with_note)

PER_ROW = 2          # head grids side by side


def run(phrase: str):
    """(phrase, greedy translation, cross-attention (H, T + 1, S), phrase set)."""
    model, phrases, _ = load_phrase_transformer()
    p = read_phrase(phrase, phrases, max_tokens=model.config.max_len)
    if not p.words:
        return p, None, None, phrases
    tr = translate(model, phrases, p.ids)
    return p, tr, cross_weights(model, p.ids, tr.ids), phrases


def panels(weights: np.ndarray, rows: tuple[str, ...], cols: tuple[str, ...], shown: int, mark: int) -> tuple:
    """One grid per head (PER_ROW to a row), then their mean. weights (H, T, S)."""
    H = weights.shape[0]
    heads = [alignment_grid(f"head {h + 1}", weights[h], rows, cols, shown, mark) for h in range(H)]
    mean = alignment_grid(f"mean of the {H} heads", weights.mean(axis=0), rows, cols, shown, mark)
    return (*(Row(tuple(heads[k:k + PER_ROW])) for k in range(0, H, PER_ROW)), mean)


def frames(phrase: str) -> Iterator[Frame]:
    p, tr, weights, phrases = run(phrase)
    if tr is None:
        yield no_phrase(p.note)
        return
    cols = p.labels
    H = weights.shape[0]
    if not tr.words:  # the model chose <eos> first: show that one step
        yield Frame(panels(weights[:, :1], ("<eos>",), cols, 1, 0),
                    with_note(f"The model wrote nothing: <eos> came first, looking at "
                              f"{strongest(weights[:, 0].mean(axis=0), cols, 2)} (mean of heads).", p.note))
        return
    rows, T = tr.words, len(tr.words)
    w = weights[:, :T]                                                  # (H, T, S) without the <eos> step
    mean = w.mean(axis=0)                                               # (T, S)
    for t in range(T):
        heads = "; ".join(f"head {h + 1} → {strongest(w[h, t], cols)}" for h in range(H))
        caption = (f"Step {t + 1}/{T}: the query of {rows[t]!r} (from <bos> {' '.join(rows[:t])}".rstrip()
                   + f") meets the keys of all {len(cols)} English tokens: {heads}; "
                     f"mean {strongest(mean[t], cols, 2)}.")
        if t == T - 1:
            caption = _final_caption(p.words, cols, rows, w, tr, phrases)
        yield Frame(panels(w, rows, cols, t + 1, t), with_note(caption, p.note), step=t)


def _final_caption(words, cols, rows, w: np.ndarray, tr, phrases) -> str:
    mean = w.mean(axis=0)
    pairs = "; ".join(f"{r!r} → {strongest(row, cols, min(2, len(cols)))}" for r, row in zip(rows, mean))
    text = (f"{' '.join(words)!r} → {' '.join(rows)!r}, a {len(rows)} × {len(cols)} grid per head. "
            f"Strongest, mean of {w.shape[0]} heads: {pairs}. {row_sums(w)}")
    text += training_note(words, tr.words, phrases)
    if not tr.finished:
        text += f" Cut at the length limit of {tr.max_len} tokens: the model never chose <eos>."
    return text
