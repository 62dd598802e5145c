"""Cost of attention: measured time and memory of self-attention as n grows, next to an RNN's.

Self-attention builds an n×n weights matrix: time and memory grow like n².
An RNN walks the sequence: time like n, and it keeps one state of width d per
step (O(n) memory for the states backward needs, O(1) to just run it).
"""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .attention_common import (attention_layer, human_bytes, human_seconds, lengths, median_seconds, peak_bytes,
                               rnn_layer, runs_for)
from tutor.frames import Chart, Frame, Progress, Row, Series, Table, frozen

FIRST = 32
WIDTH = 64
DTYPE = np.float32


@dataclass(frozen=True)
class Cost:
    n: int
    attention_time: float    # seconds, median
    rnn_time: float
    weights_bytes: int       # the n×n weights matrix
    attention_peak: int      # tracemalloc peak during one forward
    states_bytes: int        # the RNN's n hidden states
    rnn_peak: int


def measure(n: int, rnn, attention) -> Cost:
    X = np.random.default_rng(n).standard_normal((n, WIDTH)).astype(DTYPE)   # (n, WIDTH)
    probe = median_seconds(lambda: attention(X), 1)
    runs = runs_for(probe, budget=0.15)
    itemsize = np.dtype(DTYPE).itemsize
    return Cost(n, median_seconds(lambda: attention(X), runs), median_seconds(lambda: rnn(X), runs),
                n * n * itemsize, peak_bytes(lambda: attention(X)), n * WIDTH * itemsize, peak_bytes(lambda: rnn(X)))


def _range(values: list[float]) -> tuple[float, float]:
    lo = 10 ** math.floor(math.log10(max(min(values), 1e-12)))
    hi = 10 ** math.ceil(math.log10(max(max(values), 1e-12)))
    return lo, hi if hi > lo else lo * 10


def _charts(done: list[Cost], max_n: int) -> Row:
    n = frozen(np.log2([c.n for c in done]))
    a_t, r_t = [c.attention_time for c in done], [c.rnn_time for c in done]
    a_m, r_m = [c.attention_peak for c in done], [c.rnn_peak for c in done]
    x = (math.log2(FIRST), max(math.log2(max_n), math.log2(FIRST) + 1))
    return Row((
        Chart("time (s)", (Series("attention", n, frozen(np.array(a_t))), Series("RNN", n, frozen(np.array(r_t)))),
              x, _range(a_t + r_t), x_label="log₂ n", log_y=True),
        Chart("peak memory (bytes)", (Series("attention", n, frozen(np.array(a_m, dtype=float))),
                                      Series("RNN", n, frozen(np.array(r_m, dtype=float)))),
              x, _range([float(v) for v in a_m + r_m]), x_label="log₂ n", log_y=True),
    ))


def _table(done: list[Cost]) -> Table:
    return Table("measured here", ("n", "attention", "n×n weights", "peak", "RNN", "n states", "peak"),
                 tuple((str(c.n), human_seconds(c.attention_time), human_bytes(c.weights_bytes),
                        human_bytes(c.attention_peak), human_seconds(c.rnn_time), human_bytes(c.states_bytes),
                        human_bytes(c.rnn_peak)) for c in done), highlight_row=len(done) - 1)


def frames(max_length: int) -> Iterator[Frame]:
    sizes = lengths(FIRST, max_length)
    rnn, attention = rnn_layer(WIDTH, dtype=DTYPE), attention_layer(WIDTH, dtype=DTYPE)
    yield Frame((Progress("measuring", 0, len(sizes)),),
                f"Measuring self-attention and an RNN (width {WIDTH}, float32) for n = "
                f"{', '.join(map(str, sizes))} on this machine…", step=0, final=False)
    done: list[Cost] = []
    for k, n in enumerate(sizes):
        c = measure(n, rnn, attention)
        done.append(c)
        last = k == len(sizes) - 1
        caption = (f"n = {n}: attention {human_seconds(c.attention_time)}, its n×n weights alone "
                   f"{n}² × {np.dtype(DTYPE).itemsize} B = {human_bytes(c.weights_bytes)} "
                   f"(peak while running {human_bytes(c.attention_peak)}); RNN {human_seconds(c.rnn_time)}, "
                   f"its {n} states {human_bytes(c.states_bytes)} (peak {human_bytes(c.rnn_peak)}).")
        if last and len(done) > 1:
            first, ratio = done[0], n / done[0].n
            caption += (f"\nn grew ×{ratio:g}: attention's weights ×{c.weights_bytes / first.weights_bytes:g} "
                        f"(n²), its time ×{c.attention_time / first.attention_time:.1f}; the RNN's states "
                        f"×{c.states_bytes / first.states_bytes:g} (n), its time ×{c.rnn_time / first.rnn_time:.1f}.")
        yield Frame((Progress("measuring", k + 1, len(sizes)), _charts(done, sizes[-1]), _table(done)),
                    caption, step=k + 1, final=last)
