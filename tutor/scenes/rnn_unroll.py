"""RNN unroll: a vanilla RNN reads a sentence; hidden states fill in column by column."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

import engine

from tutor.frames import Frame, Grid, frozen
from .recurrent_common import INPUT_SIZE, sentence_inputs


def run(sentence: str, hidden: int, seed: int):
    """The engine run behind the scene: tokens, a note for the learner, hidden states (T, 1, H)."""
    tokens, note, x = sentence_inputs(sentence, seed)             # x: (T, 1, I)
    model = engine.RNN(INPUT_SIZE, hidden, seed=seed)
    if not tokens:
        return tokens, note, np.zeros((0, 1, hidden))
    _, cache = model.forward(x)
    return tokens, note, cache.hs                                 # (T, 1, H)


def frames(sentence: str, hidden: int, seed: int) -> Iterator[Frame]:
    tokens, note, states = run(sentence, hidden, seed)
    T = len(tokens)
    hs = states[:, 0, :].T                                      # (H, T): unit × time
    rows = tuple(f"h{i + 1}" for i in range(hidden))
    for t in range(T + 1):
        shown = np.full_like(hs, np.nan)
        shown[:, :t] = hs[:, :t]
        if t == 0:
            caption = "h₀ = 0: the network has read nothing yet."
        else:
            caption = (f"Step {t}/{T}: read {tokens[t - 1]!r}.  h_{t} = tanh(W_hh·h_{t - 1} + W_xh·x_{t} + b)"
                       f"   ‖h_{t}‖ = {np.linalg.norm(hs[:, t - 1]):.3f}")
        if note:
            caption = f"{caption}\n{note}"
        grid = Grid("hidden state h_t", frozen(shown), rows, tuple(tokens), -1.0, 1.0,
                    row_title="unit", col_title="time step", mark_col=t - 1 if t else None)
        yield Frame((grid,), caption, step=t)
