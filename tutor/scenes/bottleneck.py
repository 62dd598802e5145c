"""The bottleneck, measured: accuracy by source length, with and without attention.

The engine's `bottleneck` models (engine/recipes/bottleneck.py) are two GRU
encoder–decoders trained on the same invented translation pairs with the
same budget: one hands the decoder only the encoder's last state, the other
adds Bahdanau attention. Each frame measures one more bucket of source
lengths on held-out pairs (token accuracy of greedy translations, the
recipe's accuracy_by_length) and adds it to both series: the shape of
Bahdanau et al. (2015), figure 2. model: untrained measures the same two
architectures with random weights.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np

from engine.recipes.bottleneck import (BUCKETS, KINDS, Bottleneck, accuracy_by_length, bucket_label,
                                       held_out_pairs, load_bottleneck)

from tutor.frames import Chart, Frame, Series, Table, frozen

LABELS = {"attention": "with attention", "plain": "without attention"}


@dataclass(frozen=True)
class Curves:
    trained: bool
    buckets: tuple[tuple[int, int], ...]
    accuracy: dict[str, tuple[float, ...]]   # "attention" / "plain" -> one accuracy per bucket
    pairs: int                               # held-out pairs measured
    seed: int                                # the untrained weights' seed


@cache
def _models(model: str, seed: int) -> Bottleneck:
    b = load_bottleneck()
    if model == "trained":
        return b
    config = b.plain.config
    return Bottleneck(KINDS["plain"](config, seed=seed), KINDS["attention"](config, seed=seed),
                      b.src_vocab, b.tgt_vocab, {})


def measure(model: str, seed: int) -> Iterator[Curves]:
    """The curves, one more bucket of held-out pairs measured at each step."""
    b = _models(model, seed)
    pairs = held_out_pairs()
    done: dict[str, list[float]] = {"attention": [], "plain": []}
    counted = 0
    for k, (lo, hi) in enumerate(BUCKETS):
        group = [p for p in pairs if lo <= len(p[0]) <= hi]
        for kind in done:
            acc = accuracy_by_length(getattr(b, kind), b.src_vocab, b.tgt_vocab, group)
            done[kind].append(acc[bucket_label(lo, hi)])
        counted += len(group)
        yield Curves(model == "trained", BUCKETS[:k + 1], {kind: tuple(v) for kind, v in done.items()}, counted,
                     seed)


def chart(c: Curves) -> Chart:
    x = frozen(np.array([(lo + hi) / 2 for lo, hi in c.buckets], dtype=float))
    series = tuple(Series(LABELS[kind], x, frozen(np.array(c.accuracy[kind])), points=len(x) == 1)
                   for kind in ("attention", "plain"))
    title = "token accuracy by source length" + ("" if c.trained else " (untrained)")
    lo, hi = BUCKETS[0][0], BUCKETS[-1][1]
    return Chart(title, series, (float(lo), float(hi)), (0.0, 1.0), x_label="source words", y_label="accuracy",
                 height=5)


def table(c: Curves) -> Table:
    rows = tuple((bucket_label(lo, hi), f"{c.accuracy['attention'][k]:.2f}", f"{c.accuracy['plain'][k]:.2f}",
                  f"{c.accuracy['attention'][k] - c.accuracy['plain'][k]:+.2f}")
                 for k, (lo, hi) in enumerate(c.buckets))
    return Table("held-out token accuracy", ("source words", "with", "without", "gap"), rows,
                 highlight_row=len(rows) - 1)


def frames(model: str, seed: int) -> Iterator[Frame]:
    for c in measure(model, seed):
        yield Frame((chart(c), table(c)), caption(c), step=len(c.buckets))


def caption(c: Curves) -> str:
    (lo, hi), k = c.buckets[-1], len(c.buckets) - 1
    a, p = c.accuracy["attention"], c.accuracy["plain"]
    if k < len(BUCKETS) - 1:
        return (f"Sources of {lo}–{hi} words: {a[k]:.2f} with attention, {p[k]:.2f} without "
                f"({c.pairs} held-out pairs measured so far).")
    first = bucket_label(*c.buckets[0])
    text = (f"{first} words: {a[0]:.2f} with attention, {p[0]:.2f} without; {lo}–{hi} words: {a[k]:.2f} with, "
            f"{p[k]:.2f} without ({c.pairs} held-out pairs).")
    if c.trained:
        return text
    return text + f"\nUntrained: both architectures with random weights (seed {c.seed}): neither translates."
