"""One LSTM cell that tracks something you can name, found by measuring, not picked by eye.

The shipped character LSTM reads the held-out tenth of the corpus as one
stream. For a feature of the text (inside double quotes, depth of round
brackets, position in the line) every cell's state c_t is correlated with
the feature over the first part of that text; the cell with the largest
|r| is chosen there and its correlation is measured again on the next part,
which the choice never saw (Karpathy, Johnson and Fei-Fei, 2015, found
quote and line-length cells this way; LSTMVis, Strobelt et al., 2018).

The frame colours each character of a passage from the second part by the
chosen cell's value; the untrained twin's best cell, chosen the same way,
is the contrast.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from engine.charlm import load_corpus
from engine.recipes.language_models import shipped_corpus

from tutor.frames import Frame, Grid, frozen
from tutor.scenes.lm_weights import shipped_lm
from tutor.scenes.sampling import shown

PART = 3000          # characters of held-out text to choose the cell on, and again to measure it
WIDTH = 36           # characters a row (two grid cells each)
ROWS = 3             # rows of the passage
FEATURES = {"quotes": "inside double quotes", "line_position": "position in the line",
            "brackets": "depth of round brackets"}


def feature_values(text: str, name: str) -> np.ndarray:
    """The feature's value after each character of `text`, (T,)."""
    out = np.zeros(len(text))
    state = 0
    for t, ch in enumerate(text):
        if name == "quotes":
            state = 1 - state if ch == '"' else state
        elif name == "line_position":
            state = 0 if ch == "\n" else state + 1
        elif name == "brackets":
            state = state + 1 if ch == "(" else max(state - 1, 0) if ch == ")" else state
        else:
            raise ValueError(f"unknown feature {name!r}; choose from {', '.join(FEATURES)}")
        out[t] = state
    return out


def correlations(cells: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Pearson r of each column of cells (T, H) with values (T,); 0 where either is constant."""
    a = cells - cells.mean(axis=0)
    b = values - values.mean()
    denom = np.sqrt((a ** 2).sum(axis=0) * (b ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (a * b[:, None]).sum(axis=0) / denom
    return np.nan_to_num(r)


@dataclass(frozen=True)
class Found:
    cell: int
    r_choose: float      # on the part it was chosen on
    r_test: float        # on the next part, never used to choose
    cells: np.ndarray    # (T, H) cell states over both parts
    text: str            # both parts


def find_cell(model, chars: tuple[str, ...], text: str, name: str) -> Found:
    index = {c: i for i, c in enumerate(chars)}
    unk = index.get("\ufffd", 0)
    ids = np.array([index.get(c, unk) for c in text], dtype=np.int64)
    cells = model.hidden_states(ids)["c"]                           # (T, H)
    values = feature_values(text, name)
    choose = correlations(cells[:PART], values[:PART])
    cell = int(np.argmax(np.abs(choose)))
    test = correlations(cells[PART:, cell:cell + 1], values[PART:])[0]
    return Found(cell, float(choose[cell]), float(test), cells, text)


def heldout_text() -> str:
    """The held-out tenth of the shipped corpus, as characters."""
    corpus = shipped_corpus()
    return load_corpus()[-len(corpus.heldout):]


def passage_start(text: str, name: str) -> int:
    """Where the passage shown begins: a line start in the measured part, holding the feature if it can."""
    marks = {"quotes": '"', "brackets": "(", "line_position": "\n"}
    at = PART
    while at < len(text) - ROWS * WIDTH:
        line = text.find("\n", at)
        if line < 0:
            break
        if marks[name] in text[line + 1:line + 1 + ROWS * WIDTH // 2]:
            return line + 1
        at = line + 1
    return PART


def frames(feature: str = "quotes", model: str = "trained") -> Iterator[Frame]:
    lm, twin = shipped_lm("lstm", model == "trained"), shipped_lm("lstm", model != "trained")
    text = heldout_text()[:2 * PART]
    found = find_cell(lm.model, lm.chars, text, feature)
    other = find_cell(twin.model, twin.chars, text, feature)
    start = passage_start(text, feature)
    c = found.cells[:, found.cell]
    span = float(np.percentile(np.abs(c[PART:]), 98)) or 1.0     # a few extremes would wash out the rest
    panels = []
    for row in range(ROWS):
        lo = start + row * WIDTH
        piece = text[lo:lo + WIDTH]
        if not piece:
            break
        panels.append(Grid(f"{lm.label} cell {found.cell}, coloured per character" if row == 0 else "",
                           frozen(c[lo:lo + len(piece)][None, :].copy()), (f"c[{found.cell}]",),
                           tuple(shown(ch) for ch in piece), -span, span))
    yield Frame(tuple(panels), _caption(lm, twin, found, other, feature))


def _caption(lm, twin, found: Found, other: Found, name: str) -> str:
    H = found.cells.shape[1]
    return (f"Of the {H} cells of the {lm.label}, cell {found.cell} follows {FEATURES[name]} best: chosen on "
            f"{PART:,} held-out characters (r = {found.r_choose:+.2f}), it keeps r = {found.r_test:+.2f} on the "
            f"next {PART:,}, which the choice never saw. The {twin.label}'s best cell, chosen the same way: "
            f"r = {other.r_test:+.2f}.")
