"""One LSTM cell that tracks something you can name, found by measuring, not picked by eye.

engine.lm_cells.find_cell does the measuring: for a feature of the text
(inside double quotes, depth of round brackets, position in the line) it
correlates every cell state c_t of the shipped character LSTM with the
feature over a stretch of the training text, chooses the cell with the
largest |r| there, and measures that cell's r again on held-out text, which
the choice never saw (Karpathy, Johnson and Fei-Fei, 2015, found quote and
line-length cells; LSTMVis, Strobelt et al., 2018, reads cells this way).

The frame colours each character of a held-out passage by the chosen cell's
value, one grid row per line of the passage. The untrained twin's best cell,
chosen and measured the same way, is the contrast.
"""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from engine.charlm import CharVocab, load_corpus
from engine.lm_cells import CellFinding, find_cell
from engine.recipes.language_models import shipped_corpus

from tutor.frames import Frame, Grid, frozen
from tutor.scenes.lm_weights import shipped_lm
from tutor.scenes.sampling import shown

SELECT = 20_000      # characters of training text the cell is chosen on (its last ones)
MEASURE = 5_000      # characters of held-out text it is measured on (its first ones)
WIDTH = 36           # characters a row (two grid cells each: 72 columns)
ROWS = 3             # rows of the passage shown
FEATURES = {"quotes": "inside double quotes", "line": "position in the line", "brackets": "depth of round brackets"}
MARKS = {"quotes": '"', "brackets": "(", "line": "\n"}


@lru_cache(maxsize=1)
def texts() -> tuple[str, str]:
    """(select, measure): the end of the training text and the start of the held-out text."""
    corpus, raw = shipped_corpus(), load_corpus()
    cut = len(corpus.train)
    return raw[max(cut - SELECT, 0):cut], raw[cut:cut + MEASURE]


@lru_cache(maxsize=16)
def finding(feature: str, trained: bool) -> CellFinding:
    lm = shipped_lm("lstm", trained)
    select, measure = texts()
    return find_cell(lm.model, CharVocab(lm.chars), feature, select, measure)


def passage_start(text: str, feature: str) -> int:
    """A line start in the measured text whose first half-passage holds the feature's mark, if any does."""
    at = 0
    while at < len(text) - ROWS * WIDTH:
        if MARKS[feature] in text[at:at + ROWS * WIDTH // 2]:
            return at
        nl = text.find("\n", at)
        if nl < 0:
            break
        at = nl + 1
    return 0


def frames(feature: str = "quotes", model: str = "trained") -> Iterator[Frame]:
    trained = model == "trained"
    lm, twin = shipped_lm("lstm", trained), shipped_lm("lstm", not trained)
    found, other = finding(feature, trained), finding(feature, not trained)
    measure = texts()[1]
    start = passage_start(measure, feature)
    values = found.activations
    span = float(np.percentile(np.abs(values), 98)) or 1.0     # a few extremes would wash out the rest
    panels = []
    for row in range(ROWS):
        lo = start + row * WIDTH
        piece = measure[lo:lo + WIDTH]
        if not piece:
            break
        title = f"{lm.label} cell {found.cell}: its value at each character" if row == 0 else ""
        panels.append(Grid(title, frozen(values[lo:lo + len(piece)][None, :].copy()), (f"c[{found.cell}]",),
                           tuple(shown(ch) for ch in piece), -span, span))
    yield Frame(tuple(panels), _caption(lm, twin, found, other, feature))


def _caption(lm, twin, found: CellFinding, other: CellFinding, feature: str) -> str:
    return (f"Of the {lm.model.hidden_size} cells of the {lm.label}, cell {found.cell} follows "
            f"{FEATURES[feature]} best: chosen on {SELECT:,} training characters (r = "
            f"{found.select_correlation:+.2f}), it keeps r = {found.correlation:+.2f} on {MEASURE:,} held-out "
            f"characters the choice never saw. The {twin.label}'s best cell, chosen the same way: "
            f"r = {other.correlation:+.2f}.")
