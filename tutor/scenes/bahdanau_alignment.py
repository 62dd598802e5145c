"""Bahdanau alignment: where the trained RNN encoder–decoder looks while it translates.

The engine's shipped GRU encoder–decoder with additive attention translates
the phrase greedily; the grid is its α, one row per Italian word as decoded
(the <eos> step is left out), one column per English word, filled in one
decoder step at a time.
"""
from __future__ import annotations

from collections.abc import Iterator

from engine.recipes.phrases import load_phrase_model

from tutor.frames import Frame
from .translation_common import alignment_frames, alignment_grid, closing_note, row_sums, run_translation, strongest


def run(phrase: str, model: str = "trained", seed: int = 0):
    """(phrase read into the vocabulary, greedy translation, α (T + 1, S), phrase set)."""
    shipped, phrases, _ = load_phrase_model()
    p, tr, weights = run_translation(shipped, phrases, phrase, model, seed)
    return p, tr, None if weights is None else weights[0], phrases


def frames(phrase: str, model: str = "trained", seed: int = 0) -> Iterator[Frame]:
    p, tr, alpha, phrases = run(phrase, model, seed)
    cols = p.labels
    title = f"α  {' '.join(p.words)} → {' '.join(tr.words)}" if tr is not None and tr.words else "α: the <eos> step"

    def panels(w, rows, cols, shown, mark):
        return (alignment_grid(title, w[0], rows, cols, shown, mark),)

    def step_caption(t, w):
        return (f"Step {t + 1}/{len(tr.words)}: from its state s_{t} the decoder scores all {len(cols)} source "
                f"word{'s' if len(cols) != 1 else ''}, softmaxes, and writes {tr.words[t]!r} looking mostly at "
                f"{strongest(w[0, t], cols, 2)}.")

    def final_caption(w):
        pairs = ", ".join(f"{word!r} → {strongest(row, cols)}" for word, row in zip(tr.words, w[0]))
        return (f"{' '.join(p.words)!r} → {' '.join(tr.words)!r}. Most attended per output word: "
                f"{pairs}. {row_sums(w[0])}" + closing_note(p.words, tr, phrases, model == "trained", seed))

    yield from alignment_frames(p, tr, None if alpha is None else alpha[None], panels, step_caption, final_caption)
