"""Sequential steps vs one parallel step: the RNN's dependency chain against self-attention.

For n = 16, 32, … up to max_length, the engine's RNN forward and a self-attention
layer with projections (the engine's scaled_dot_product_attention) are timed on
this machine; one frame per measurement, so the chart fills in live.
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .attention_common import attention_layer, human_seconds, lengths, median_seconds, rnn_layer, runs_for
from tutor.frames import Chart, Frame, Lines, Progress, Series, Table, frozen

FIRST = 16
DTYPE = np.float32


@dataclass(frozen=True)
class Timing:
    n: int
    rnn: float           # seconds, median
    attention: float     # seconds, median
    runs: int


def measure(n: int, width: int, rnn, attention) -> Timing:
    X = np.random.default_rng(n).standard_normal((n, width)).astype(DTYPE)   # (n, width)
    probe = median_seconds(lambda: (rnn(X), attention(X)), 1)
    runs = runs_for(probe)
    return Timing(n, median_seconds(lambda: rnn(X), runs), median_seconds(lambda: attention(X), runs), runs)


def chain(n: int) -> Lines:
    """The dependency chain of both models for a sequence of n tokens."""
    return Lines("what has to wait for what", (
        (("RNN        ", "bold"), ("h₁ → h₂ → … → h_n   ", "accent"), (f"{n} steps, each waits for the last", "dim")),
        (("attention  ", "bold"), ("QKᵀ → softmax → ·V  ", "good"), (f"1 step: {n}² = {n * n:,} scores at once", "dim")),
    ))


def _chart(done: list[Timing], max_n: int) -> Chart:
    times = [t.rnn for t in done] + [t.attention for t in done]
    lo = 10 ** math.floor(math.log10(min(times)))
    hi = 10 ** math.ceil(math.log10(max(times)))
    n = frozen(np.log2([t.n for t in done]))
    return Chart("forward time (s)", (Series("RNN: n steps", n, frozen(np.array([t.rnn for t in done]))),
                                       Series("attention: 1 step", n, frozen(np.array([t.attention for t in done])))),
                 (math.log2(FIRST), max(math.log2(max_n), math.log2(FIRST) + 1)), (lo, hi if hi > lo else lo * 10),
                 x_label="log₂ n (sequence length)", log_y=True)


def _table(done: list[Timing]) -> Table:
    return Table("measured here (median)", ("n", "RNN steps", "RNN", "attention steps", "attention", "RNN/attention"),
                 tuple((str(t.n), str(t.n), human_seconds(t.rnn), "1", human_seconds(t.attention),
                        f"{t.rnn / t.attention:.1f}×") for t in done), highlight_row=len(done) - 1)


def frames(max_length: int, hidden: int) -> Iterator[Frame]:
    sizes = lengths(FIRST, max_length)
    rnn, attention = rnn_layer(hidden, dtype=DTYPE), attention_layer(hidden, dtype=DTYPE)
    yield Frame((chain(sizes[0]), Progress("timing", 0, len(sizes))),
                f"Timing the engine's RNN and self-attention (width {hidden}, float32) for n = "
                f"{', '.join(map(str, sizes))} on this machine…", step=0, final=False)
    done: list[Timing] = []
    for k, n in enumerate(sizes):
        t = measure(n, hidden, rnn, attention)
        done.append(t)
        last = k == len(sizes) - 1
        caption = (f"n = {n}: the RNN took {human_seconds(t.rnn)} for {n} dependent steps "
                   f"({human_seconds(t.rnn / n)} each); self-attention took {human_seconds(t.attention)} in one "
                   f"parallel step. Median of {t.runs} run{'s' if t.runs > 1 else ''}, width {hidden}, float32.")
        if last and len(done) > 1:
            first = done[0]
            caption += (f"\nFrom n = {first.n} to {n}: RNN ×{t.rnn / first.rnn:.1f}, attention "
                        f"×{t.attention / first.attention:.1f}. The RNN's steps cannot overlap; attention's n² "
                        "scores are independent, so more cores (a GPU) run them side by side.")
        yield Frame((chain(n), Progress("timing", k + 1, len(sizes)), _chart(done, sizes[-1]), _table(done)),
                    caption, step=k + 1, final=last)
