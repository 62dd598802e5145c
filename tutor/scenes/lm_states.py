"""A trained character language model reading a sentence: its hidden states and its next-character guess.

One frame per character read: the grid fills in one column (the state h_t
after that character) and the bars show the model's distribution for the
character after it. The rows are the units that vary most over this text
(the model has more than fit on screen); the untrained twin (model:
untrained) is the same architecture before training, the contrast that
shows what training changed.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from tutor.frames import Bars, Frame, Grid, frozen
from tutor.scenes.lm_weights import shipped_lm
from tutor.scenes.sampling import read_known, shown

MAX_CHARS = 36      # two grid cells a character: 72 columns at 80
SHOWN = 12          # bars: the likeliest next characters


def read_text(text: str, chars: tuple[str, ...]) -> tuple[str, list[str]]:
    return read_known(text, chars, MAX_CHARS)


def next_distribution(model, ids: np.ndarray) -> np.ndarray:
    log_probs, _ = model.start(ids)
    p = np.exp(log_probs - log_probs.max())
    return p / p.sum()


def frames(sentence: str, architecture: str, model: str, units: int) -> Iterator[Frame]:
    lm = shipped_lm(architecture, model == "trained")
    text, notes = read_text(sentence, lm.chars)
    if not text:
        yield Frame((), "No characters to read: type a sentence with e.")
        return
    index = {c: i for i, c in enumerate(lm.chars)}
    ids = np.array([index[c] for c in text], dtype=np.int64)
    h = lm.model.hidden_states(ids)["h"]                                  # (T, H)
    rows = np.sort(np.argsort(-h.std(axis=0), kind="stable")[:units])
    labels = tuple(shown(c) for c in text)
    lead = " ".join(notes) + " " if notes else ""
    for t in range(len(text)):
        values = np.full((len(rows), len(text)), np.nan)
        values[:, :t + 1] = h[:t + 1, rows].T
        grid = Grid(f"{lm.label}: {len(rows)} of {h.shape[1]} units of h_t, the most varied here",
                    frozen(values), tuple(f"h[{r}]" for r in rows), labels, -1.0, 1.0,
                    row_title="unit", col_title="after reading", mark_col=t)
        p = next_distribution(lm.model, ids[:t + 1])
        top = np.argsort(-p, kind="stable")[:SHOWN]
        bars = Bars(f"p(next character | \"{_visible(text[:t + 1])[-20:]}\")",
                    tuple(shown(lm.chars[j]) for j in top), frozen(p[top]), 0.0, max(float(p[top[0]]), 1e-9),
                    fmt="{:.3f}", highlight=0)
        yield Frame((grid, bars), lead + _caption(lm, text, t, p, top), step=t, final=t == len(text) - 1)


def _visible(text: str) -> str:
    return "".join(shown(c) if c in "\n\t" or not c.isprintable() else c for c in text)


def _caption(lm, text: str, t: int, p: np.ndarray, top: np.ndarray) -> str:
    best = ", ".join(f"{shown(lm.chars[j])!r} {p[j]:.3f}" for j in top[:3])
    caption = (f"After {t + 1} of {len(text)} characters, \"{_visible(text[:t + 1])[-24:]}\": the likeliest "
               f"next characters are {best}.")
    if t + 1 < len(text):
        actual = text[t + 1]
        caption += f" The text goes on with {shown(actual)!r}, given {p[lm.chars.index(actual)]:.3f}."
    return caption + f" Uniform would be 1/{len(lm.chars)} = {1 / len(lm.chars):.3f}."
