"""Heads that specialise: the previous-token head and the induction head, side by side.

The engine's induction model (engine/recipes/induction.py) is a two-layer
causal attention-only Transformer trained to predict the next symbol of a
random segment shown twice. Training made one head attend to the token just
before (the previous-token head) and one attend, from each token of the
repeat, to the token that followed its earlier copy (the induction head):
the two-step circuit of Olsson et al. (2022). Each grid is titled by what its
head does and its score, measured here on held-out sequences; model:
untrained shows the same heads of the same architecture with random weights.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np

from engine.recipes.induction import (VOCAB, attention_maps, half_losses, head_scores, induction_score,
                                      load_induction, previous_token_score, repeated_sequence,
                                      untrained_induction)

from tutor.frames import Frame, Grid, Row, frozen

SYMBOLS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + tuple("abcdef")   # one letter per symbol id
assert len(SYMBOLS) == VOCAB
PAIR_MAX_TOKENS = 12          # two grids side by side up to this many tokens at 80 columns


@dataclass(frozen=True)
class Heads:
    trained: bool
    tokens: tuple[str, ...]               # the sequence: a segment of `length` symbols, twice
    length: int
    weights: np.ndarray                   # (layers, heads, T, T)
    previous: tuple[int, int]             # (layer, head) of the previous-token head (named on the trained model)
    induction: tuple[int, int]
    held_out: tuple[np.ndarray, np.ndarray]   # previous-token and induction scores of every head, held out
    losses: tuple[float, float]           # next-token loss on the first half and on the repeated half


@cache
def _measured(model: str, seed: int):
    trained = load_induction()
    net = trained.model if model == "trained" else untrained_induction(seed)
    return trained, net, head_scores(net), half_losses(net)


def run(length: int, sequence: int, model: str, seed: int) -> Heads:
    trained, net, scores, losses = _measured(model, seed)
    ids = repeated_sequence(length, sequence)
    return Heads(model == "trained", tuple(SYMBOLS[i] for i in ids), length, attention_maps(net, ids),
                 trained.previous_token, trained.induction, scores, losses)


def name(where: tuple[int, int]) -> str:
    return f"L{where[0] + 1}H{where[1] + 1}"


def grid(h: Heads, where: tuple[int, int], title: str, shown_rows: int) -> Grid:
    w = h.weights[where]
    values = w.copy()
    values[shown_rows:] = np.nan
    return Grid(title, frozen(values), h.tokens, h.tokens, 0.0, 1.0, palette="sequential",
                row_title="query", col_title="key", fmt="{:.3f}")


def frames(length: int, sequence: int, model: str, seed: int) -> Iterator[Frame]:
    h = run(length, sequence, model, seed)
    T, L = len(h.tokens), h.length
    prev_here = float(previous_token_score(h.weights[h.previous]))
    ind_here = float(induction_score(h.weights[h.induction], L))
    prev_held = float(h.held_out[0][h.previous])
    ind_held = float(h.held_out[1][h.induction])
    # short titles (two grids share 80 columns); the caption opens with "Untrained" when it is
    titles = (f"previous token · {prev_held:.2f}", f"induction · {ind_held:.2f}")
    for shown in [*range(L, T, max(1, L // 2)), T]:
        panels = (grid(h, h.previous, titles[0], shown), grid(h, h.induction, titles[1], shown))
        layout = (Row(panels),) if T <= PAIR_MAX_TOKENS else panels
        final = shown == T
        yield Frame(layout, caption(h, shown, prev_here, ind_here, prev_held, ind_held) if final else
                    f"Rows 1–{shown} of {T}: the segment {' '.join(h.tokens[:L])}, then its repeat.",
                    step=shown)


def caption(h: Heads, shown: int, prev_here: float, ind_here: float, prev_held: float, ind_held: float) -> str:
    first, second = h.losses
    kind = "Trained" if h.trained else "Untrained (same heads, random weights)"
    return (f"{kind}. {name(h.previous)}, one back: {prev_here:.2f} here, {prev_held:.2f} held out. "
            f"{name(h.induction)}, after the earlier copy: {ind_here:.2f} here, {ind_held:.2f} held out. "
            f"Loss {second:.2f} on the repeat, {first:.2f} on the first half.")
