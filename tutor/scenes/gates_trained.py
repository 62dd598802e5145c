"""The gates scene with model: trained: the engine's trained LSTM beside the same cell untrained.

The zoo's `gates` LSTM (engine/recipes/gates.py) was trained on the
marked-symbol task: symbols A–D, a marker "!" early on, and "?" at the end,
to be answered with the symbol that followed the marker. The learner's
sentence is read as such a sequence; tokens outside the task's alphabet are
fed as no input (a zero vector) and said so.

Each model gets one grid: its input and forget gates, averaged over the
memory units (the units that take the key in and hold it, chosen by the
recipe), one column per token, filled in step by step. The caption gives
this sequence's means and the means over held-out sequences (the recipe's
gate_summary, for the trained cell and for the untrained one of this seed).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import numpy as np

from engine.recipes.gates import Gates, gate_summary, load_gates, untrained_gates
from engine.tasks import one_hot
from engine.tokens import MAX_TOKENS, tokenize

from tutor.frames import Frame, Grid, frozen

ROWS = (("i", "input i"), ("f", "forget f"))


@dataclass(frozen=True)
class Run:
    tokens: tuple[str, ...]
    note: str
    units: tuple[int, ...]               # the memory units (0-based)
    trained: dict[str, np.ndarray]       # gate -> (T, H)
    untrained: dict[str, np.ndarray]
    answer: str                          # what the trained model predicts at the last token
    key: int | None                      # the step after the first "!" (the symbol to keep), if any
    meta: dict


@cache
def _trained() -> Gates:
    return load_gates()


@cache
def _untrained(seed: int):
    return untrained_gates(seed)


@cache
def held_out(seed: int) -> tuple[dict[str, float], dict[str, float]]:
    """The recipe's held-out means on the memory units: the trained cell's, and the untrained one's (this seed)."""
    g = _trained()
    return gate_summary(g.net, g.memory_units), gate_summary(_untrained(seed), g.memory_units)


def trace(net, x: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Gates (T, H) of the net's LSTM on inputs x (T, 1, V), and the read-out's logits (T, V)."""
    hs, cache = net.rnn.forward(x)
    logits, _ = net.head.forward(hs)
    return {"i": cache.i[:, 0], "f": cache.f[:, 0]}, logits[:, 0]


def run(sentence: str, seed: int) -> Run:
    g = _trained()
    vocab = g.task.vocab
    words = tokenize(sentence)
    tokens = words[:MAX_TOKENS]
    index = {t: k for k, t in enumerate(vocab)}
    ids = [index.get(t.upper() if t.upper() in vocab[:-2] else t, -1) for t in tokens]
    x = np.zeros((len(tokens), 1, len(vocab)))
    for t, k in enumerate(ids):
        if k >= 0:
            x[t, 0] = one_hot(np.array(k), len(vocab))
    notes = []
    if not tokens:
        notes.append("The sentence has no words yet: press e to type one (symbols A–D, a marker !, then ?).")
    elif len(words) > MAX_TOKENS:
        notes.append(f"Only the first {MAX_TOKENS} of {len(words)} tokens are shown.")
    unknown = list(dict.fromkeys(t for t, k in zip(tokens, ids) if k < 0))
    if unknown:
        listed = ", ".join(repr(w) for w in unknown[:4]) + (" …" if len(unknown) > 4 else "")
        notes.append(f"The task's tokens are A–D, ! and ?; {listed} read as no input.")
    trained, logits = trace(g.net, x) if tokens else ({k: np.zeros((0, 1)) for k, _ in ROWS}, np.zeros((0, 1)))
    untrained, _ = trace(_untrained(seed), x) if tokens else (trained, logits)
    marker = [t for t, k in enumerate(ids) if k == g.task.marker]
    key = marker[0] + 1 if marker and marker[0] + 1 < len(tokens) else None
    answer = vocab[int(np.argmax(logits[-1]))] if tokens else ""
    return Run(tuple(tokens), " ".join(notes), tuple(g.memory_units), trained, untrained, answer, key, g.meta)


def grid(title: str, gates: dict[str, np.ndarray], units, tokens, shown: int) -> Grid:
    """Rows: each gate's mean over the memory units; columns: tokens (those after `shown` not read yet)."""
    values = np.full((len(ROWS), len(tokens)), np.nan)
    for r, (name, _) in enumerate(ROWS):
        values[r, :shown] = gates[name][:shown][:, list(units)].mean(axis=1)
    return Grid(title, frozen(values), tuple(label for _, label in ROWS), tokens, 0.0, 1.0, palette="sequential",
                mark_col=shown - 1 if shown else None, fmt="{:.3f}")


def frames(sentence: str, seed: int, cell: str) -> Iterator[Frame]:
    r = run(sentence, seed)
    T = len(r.tokens)
    if not T:
        yield Frame((), r.note)
        return
    units = ", ".join(f"u{u + 1}" for u in r.units)
    for t in range(1, T + 1):
        panels = (grid(f"trained LSTM, memory units {units}: mean gate", r.trained, r.units, r.tokens, t),
                  grid(f"untrained, same cell (seed {seed}), same units", r.untrained, r.units, r.tokens, t))
        text = caption(r, t, seed) if t == T else (
            f"Step {t}/{T}: read {r.tokens[t - 1]!r}: input gate {mean(r.trained, 'i', r.units, t - 1):.2f} "
            f"trained, {mean(r.untrained, 'i', r.units, t - 1):.2f} untrained.")
        if cell != "lstm" and t == T:
            text += "\nThe trained model is an LSTM: cell applies to the untrained view (model: untrained)."
        if r.note:
            text = f"{text}\n{r.note}"
        yield Frame(panels, text, step=t)


def mean(gates: dict[str, np.ndarray], name: str, units, steps) -> float:
    """The gate's mean over the memory units and the given steps."""
    return float(gates[name][steps][..., list(units)].mean())


def caption(r: Run, T: int, seed: int) -> str:
    """Two lines: this sequence (trained, untrained in brackets), then the held-out means."""
    held, base = held_out(seed)
    if r.key is None or r.key >= T - 1:
        here = (f"No symbol after a marker '!' to keep: mean i {mean(r.trained, 'i', r.units, slice(None)):.2f}, "
                f"f {mean(r.trained, 'f', r.units, slice(None)):.2f}; it answers {r.answer!r}.")
    else:
        gap = slice(r.key + 1, T - 1)
        here = (f"Key {r.tokens[r.key]!r}: i {mean(r.trained, 'i', r.units, r.key):.2f} "
                f"(untrained {mean(r.untrained, 'i', r.units, r.key):.2f}), f over the gap "
                f"{mean(r.trained, 'f', r.units, gap):.2f} ({mean(r.untrained, 'f', r.units, gap):.2f}); "
                f"it answers {r.answer!r}.")
    return (f"{here}\nHeld out: i {held['input_at_key']:.2f} at the key, {held['input_elsewhere']:.2f} elsewhere "
            f"({base['input_at_key']:.2f}, {base['input_elsewhere']:.2f}); f {held['forget_over_gap']:.2f} "
            f"({base['forget_over_gap']:.2f}).")
