"""Interpretable cells: the LSTM cell that best tracks a simple feature of the text.

    finding = find_cell(model, vocab, "quotes", select_text, measure_text)
    finding.cell, finding.correlation     # chosen on select_text, measured on measure_text
    finding.activations                   # that cell over measure_text, one value per character

Features (one value per character, describing the text up to and including it):
    quotes    1 inside a double-quoted passage (the opening quote included, the closing not), else 0
    brackets  the depth of round brackets ( ) at the character
    line      the character's position in its line (0 at the first character after a newline)

The cell is chosen on one text (the training text) by the largest |Pearson
correlation| between its state and the feature, and the correlation is then
measured on another (held-out) text, so the number a lesson states is not the
maximum over many cells of the same sample. The model reads each text in
one pass from a zero state (Karpathy, Johnson & Fei-Fei 2015 read their
LSTM's cells the same way).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FEATURES = ("quotes", "brackets", "line")


def feature_values(text: str, feature: str) -> np.ndarray:
    """The feature at every character of `text`, float64 (len(text),)."""
    out = np.empty(len(text), dtype=np.float64)
    if feature == "quotes":
        inside = False
        for i, ch in enumerate(text):
            if ch == '"':
                inside = not inside
                out[i] = 1.0 if inside else 0.0
            else:
                out[i] = 1.0 if inside else 0.0
    elif feature == "brackets":
        depth = 0
        for i, ch in enumerate(text):
            if ch == "(":
                depth += 1
            out[i] = depth
            if ch == ")":
                depth = max(depth - 1, 0)
    elif feature == "line":
        pos = 0
        for i, ch in enumerate(text):
            out[i] = pos
            pos = 0 if ch == "\n" else pos + 1
    else:
        raise ValueError(f"unknown feature {feature!r}; choose from {', '.join(FEATURES)}")
    return out


def correlations(states: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Pearson correlation of every column of states (T, H) with feature (T,); 0 where constant."""
    s = states - states.mean(axis=0)
    f = feature - feature.mean()
    denom = np.sqrt((s * s).sum(axis=0) * (f * f).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (s * f[:, None]).sum(axis=0) / denom
    return np.where(denom > 0, r, 0.0)


@dataclass(frozen=True)
class CellFinding:
    feature: str
    state: str                 # "c" (cell state) or "h" (hidden state)
    cell: int                  # index of the chosen unit
    select_correlation: float  # on the text it was chosen on
    correlation: float         # on the measuring (held-out) text, sign kept
    activations: np.ndarray    # the unit over the measuring text (len,)
    feature_values: np.ndarray  # the feature over the measuring text (len,)


class RunningCorrelation:
    """Pearson correlation of every column of states with a feature, fed a chunk at a time.

    Each chunk's means and centred sums are merged into the running ones (Chan, Golub
    & LeVeque's pairwise update), so the result equals `correlations` over the whole
    text to rounding while only one chunk of states is ever held: a 20,000-character
    passage of 128 cells in float64 would be 20 MB, and its centred copies as much again."""

    def __init__(self, width: int) -> None:
        self.n = 0
        self.mean_s, self.m2_s, self.co = np.zeros(width), np.zeros(width), np.zeros(width)
        self.mean_f = self.m2_f = 0.0

    def add(self, states: np.ndarray, feature: np.ndarray) -> None:
        m = len(feature)
        if m == 0:
            return
        mean_s, mean_f = states.mean(axis=0), float(feature.mean())
        s, f = states - mean_s, feature - mean_f
        m2_s, m2_f, co = np.einsum("ij,ij->j", s, s), float(f @ f), f @ s
        n = self.n
        total = n + m
        ds, df = mean_s - self.mean_s, mean_f - self.mean_f
        self.m2_s += m2_s + ds * ds * n * m / total
        self.m2_f += m2_f + df * df * n * m / total
        self.co += co + ds * df * n * m / total
        self.mean_s += ds * m / total
        self.mean_f += df * m / total
        self.n = total

    def value(self) -> np.ndarray:
        denom = np.sqrt(self.m2_s * self.m2_f)
        with np.errstate(invalid="ignore", divide="ignore"):
            r = self.co / denom
        return np.where(denom > 0, r, 0.0)


def find_cell(model, vocab, feature: str, select_text: str, measure_text: str,
              state: str = "c") -> CellFinding:
    """Choose the unit of `state` whose value best tracks `feature` on select_text (largest
    |correlation|), and measure that unit's correlation on measure_text."""
    f_select = feature_values(select_text, feature)
    running = RunningCorrelation(model.hidden_size)
    at = 0
    for chunk in model.state_chunks(vocab.encode(select_text), which=(state,)):
        values = chunk[state]
        running.add(values, f_select[at:at + len(values)])
        at += len(values)
    r_select = running.value()
    cell = int(np.argmax(np.abs(r_select)))
    measured = np.concatenate([chunk[state][:, cell] for chunk in
                               model.state_chunks(vocab.encode(measure_text), which=(state,))] or [np.zeros(0)])
    f = feature_values(measure_text, feature)
    r = float(correlations(measured[:, None], f)[0])
    return CellFinding(feature, state, cell, float(r_select[cell]), r, measured, f)
