"""LSTM and GRU gates: every gate's activation per unit and time step, filled in step by step.

Gates (σ, in [0, 1]) use the sequential palette; candidates, cell and hidden
states (signed) the diverging one. Short sentences put two grids side by side;
long ones give each grid the full width (the view scrolls down).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

import engine

from tutor.frames import Frame, Grid, Row, frozen
from .recurrent_common import INPUT_SIZE, sentence_inputs


@dataclass(frozen=True)
class Trace:
    name: str        # symbol in the equations: "f", "c", ...
    title: str
    values: np.ndarray  # (T, H)
    signed: bool


# (symbol, title, cache attribute, signed) for each grid, in the order shown
LAYOUT = {
    "lstm": (("i", "input gate i", "i", False), ("f", "forget gate f", "f", False),
             ("g", "candidate g", "g", True), ("o", "output gate o", "o", False),
             ("c", "cell state c", "cs", True), ("h", "hidden state h", "hs", True)),
    "gru": (("r", "reset gate r", "r", False), ("z", "update gate z", "z", False),
            ("n", "candidate n", "n", True), ("h", "hidden state h", "hs", True)),
}


def run(sentence: str, cell: str, hidden: int, seed: int) -> tuple[list[str], str, list[Trace]]:
    """Tokens, a note, and each gate's or state's activations (T, H) from the engine's cache."""
    tokens, note, x = sentence_inputs(sentence, seed)
    model = (engine.LSTM if cell == "lstm" else engine.GRU)(INPUT_SIZE, hidden, seed=seed)
    cache = model.forward(x)[1] if tokens else None
    traces = [Trace(name, title, getattr(cache, attr)[:, 0, :] if cache else np.zeros((0, hidden)), signed)
              for name, title, attr, signed in LAYOUT[cell]]
    return tokens, note, traces


PAIR_MAX_TOKENS = 12  # two grids side by side up to this many tokens (≈3 columns a cell at 80 wide)

EQUATIONS = {
    "lstm": "c_t = f⊙c_{t−1} + i⊙g,  h_t = o⊙tanh(c_t)",
    "gru": "h_t = (1−z)⊙n + z⊙h_{t−1}",
}


def frames(sentence: str, cell: str, hidden: int, seed: int, model: str = "untrained") -> Iterator[Frame]:
    """model: trained shows the shipped LSTM beside the same cell untrained (gates_trained); untrained,
    a random cell of `hidden` units reading the sentence's word vectors."""
    if model == "trained":
        from .gates_trained import frames as trained_frames   # loads the weights only when asked
        yield from trained_frames(sentence, seed, cell)
        return
    tokens, note, traces = run(sentence, cell, hidden, seed)
    T = len(tokens)
    units = tuple(f"u{i + 1}" for i in range(hidden))
    ranges = {tr.name: _range(tr) for tr in traces}
    for t in range(T + 1):
        grids = []
        for tr in traces:
            shown = np.full((hidden, T), np.nan)
            shown[:, :t] = tr.values[:t].T          # (H, T): unit × token
            lo, hi = ranges[tr.name]
            grids.append(Grid(tr.title, frozen(shown), units, tuple(tokens), lo, hi,
                              palette="diverging" if tr.signed else "sequential",
                              mark_col=t - 1 if t else None,
                              fmt="{:+.3f}" if tr.signed else "{:.3f}"))
        panels = _layout(grids, T)
        caption = _caption(t, tokens, cell, traces)
        if note:
            caption = f"{caption}\n{note}"
        yield Frame(panels if T else (), caption, step=t)


def _layout(grids: list[Grid], T: int) -> tuple:
    """Grids two to a Row while both fit half of an 80-column view; one per line beyond."""
    if T > PAIR_MAX_TOKENS:
        return tuple(grids)
    return tuple(Row(tuple(grids[k:k + 2])) for k in range(0, len(grids), 2))


def _range(trace: Trace) -> tuple[float, float]:
    if not trace.signed:
        return 0.0, 1.0
    finite = np.abs(trace.values[np.isfinite(trace.values)])
    m = max(1.0, float(finite.max(initial=0.0)))  # c can pass ±1; g, n, h cannot
    return -m, m


def _caption(t: int, tokens: list[str], cell: str, traces: list[Trace]) -> str:
    if not tokens:
        return f"{cell.upper()}: {EQUATIONS[cell]}"
    if t == 0:
        return f"{cell.upper()}: {EQUATIONS[cell]}.  Nothing read yet; the state starts at 0."
    at = {tr.name: tr.values[t - 1] for tr in traces}
    head = f"Step {t}/{len(tokens)}: read {tokens[t - 1]!r}.  "
    if cell == "lstm":
        return (head + f"mean f = {at['f'].mean():.2f} (keep), i = {at['i'].mean():.2f} (write), "
                f"o = {at['o'].mean():.2f} (show);  ‖c_{t}‖ = {np.linalg.norm(at['c']):.3f}")
    return (head + f"mean z = {at['z'].mean():.2f} (1 keeps h_{t - 1}), r = {at['r'].mean():.2f} "
            f"(how much of h_{t - 1} the candidate sees);  ‖h_{t}‖ = {np.linalg.norm(at['h']):.3f}")
