"""Bahdanau alignment: where the trained RNN encoder–decoder looks while it translates.

The engine's shipped GRU encoder–decoder with additive attention translates
the phrase greedily; the grid is its α, one row per Italian word as decoded
(the <eos> step is left out), one column per English word, filled in one
decoder step at a time.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from engine.recipes.phrases import load_phrase_model

from tutor.frames import Frame
from .translation_common import (Translation, alignment_grid, cross_weights, no_phrase, read_phrase,
                                 row_sums, strongest, training_note, translate, with_note)


def run(phrase: str):
    """(phrase read into the vocabulary, greedy translation, α (T + 1, S), phrase set)."""
    model, phrases, _ = load_phrase_model()
    p = read_phrase(phrase, phrases)
    if not p.words:
        return p, None, None, phrases
    tr = translate(model, phrases, p.ids)
    return p, tr, cross_weights(model, p.ids, tr.ids)[0], phrases


def frames(phrase: str) -> Iterator[Frame]:
    p, tr, alpha, phrases = run(phrase)
    if tr is None:
        yield no_phrase(p.note)
        return
    cols = p.labels
    if not tr.words:  # the model chose <eos> first: show that one step
        grid = alignment_grid("α: the <eos> step", alpha[:1], ("<eos>",), cols, 1, 0)
        yield Frame((grid,), with_note(f"The model wrote nothing: <eos> came first, looking at "
                                       f"{strongest(alpha[0], cols, 2)}.", p.note))
        return
    rows, T = tr.words, len(tr.words)
    weights = alpha[:T]                                                  # (T, S) without the <eos> step
    title = f"α  {' '.join(p.words)} → {' '.join(rows)}"
    for t in range(T):
        grid = alignment_grid(title, weights, rows, cols, t + 1, t)
        caption = (f"Step {t + 1}/{T}: from its state s_{t} the decoder scores all {len(cols)} source "
                   f"word{'s' if len(cols) != 1 else ''}, softmaxes, and writes {rows[t]!r} looking mostly at "
                   f"{strongest(weights[t], cols, 2)}.")
        if t == T - 1:
            caption = _final_caption(p.words, cols, tr, weights, phrases)
        yield Frame((grid,), with_note(caption, p.note), step=t)


def _final_caption(words, cols, tr: Translation, weights: np.ndarray, phrases) -> str:
    pairs = ", ".join(f"{w!r} → {strongest(row, cols)}" for w, row in zip(tr.words, weights))
    text = (f"{' '.join(words)!r} → {' '.join(tr.words)!r}. Most attended per output word: "
            f"{pairs}. {row_sums(weights)}")
    text += training_note(words, tr.words, phrases)
    if not tr.finished:
        text += f" Cut at the length limit of {tr.max_len} tokens: the model never chose <eos>."
    return text
