"""Toy sequence tasks as seeded batch generators.

Every task hands out `TaskBatch`es of token ids, time-major like the models:
inputs (T, B), the token to predict at each step, and a mask of the steps
that are scored. `task.batch(batch_size, seed)` is a pure function of its
arguments, so a training run is reproducible from its seed alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

TEXT_PATH = Path(__file__).parent / "data" / "lighthouse.txt"


@dataclass(frozen=True)
class TaskBatch:
    inputs: np.ndarray   # (T, B) token ids fed to the model
    targets: np.ndarray  # (T, B) token id to predict at each step
    mask: np.ndarray     # (T, B) True where the prediction is scored


def one_hot(ids: np.ndarray, size: int, dtype=np.float64) -> np.ndarray:
    """(…,) integer ids -> (…, size) one-hot vectors."""
    return np.eye(size, dtype=dtype)[ids]


@dataclass(frozen=True)
class CopyTask:
    """Read `length` symbols, then a go marker ">"; write the symbols back in order.

        inputs   C A D B > _ _ _
        targets  · · · · C A D B    (· = not scored)
    """
    length: int = 5
    n_symbols: int = 4

    @property
    def vocab(self) -> tuple[str, ...]:
        return (*_letters(self.n_symbols), "_", ">")

    @property
    def chance(self) -> float:
        return 1.0 / self.n_symbols

    def batch(self, batch_size: int, seed) -> TaskBatch:
        L, blank, go = self.length, self.n_symbols, self.n_symbols + 1
        symbols = np.random.default_rng(seed).integers(0, self.n_symbols, (L, batch_size))
        inputs = np.full((2 * L, batch_size), blank)
        inputs[:L], inputs[L] = symbols, go
        targets = np.zeros_like(inputs)
        targets[L:] = symbols
        mask = np.zeros(inputs.shape, dtype=bool)
        mask[L:] = True
        return TaskBatch(inputs, targets, mask)


@dataclass(frozen=True)
class RememberFirstTask:
    """A symbol, `gap` distractors, then "?": answer with the first symbol.

        inputs   C a d b b c a ?
        targets  · · · · · · · C

    Only the last step is scored, so all the learning signal has to travel
    back across the gap: the long-dependency task.
    """
    gap: int = 20
    n_symbols: int = 4
    n_distractors: int = 4

    @property
    def vocab(self) -> tuple[str, ...]:
        return (*_letters(self.n_symbols), *_letters(self.n_distractors, "a"), "?")

    @property
    def chance(self) -> float:
        return 1.0 / self.n_symbols

    def batch(self, batch_size: int, seed) -> TaskBatch:
        rng = np.random.default_rng(seed)
        first = rng.integers(0, self.n_symbols, batch_size)
        inputs = np.empty((self.gap + 2, batch_size), dtype=np.int64)
        inputs[0] = first
        inputs[1:-1] = self.n_symbols + rng.integers(0, self.n_distractors, (self.gap, batch_size))
        inputs[-1] = len(self.vocab) - 1
        targets = np.zeros_like(inputs)
        targets[-1] = first
        mask = np.zeros(inputs.shape, dtype=bool)
        mask[-1] = True
        return TaskBatch(inputs, targets, mask)


@dataclass(frozen=True)
class MarkedSymbolTask:
    """Symbols throughout; a marker "!" early on; answer "?" with the symbol after the marker.

        inputs   B D ! C A B D A C B ?
        targets  · · · · · · · · · · C

    The marker falls in the first third. The symbols before and after the
    key are the same kind as the key, so the cell must take in the one after
    the marker and keep out all the others: a task for the gates.
    """
    length: int = 24
    n_symbols: int = 4

    @property
    def vocab(self) -> tuple[str, ...]:
        return (*_letters(self.n_symbols), "!", "?")

    @property
    def marker(self) -> int:
        return self.n_symbols

    @property
    def chance(self) -> float:
        return 1.0 / self.n_symbols

    def batch(self, batch_size: int, seed) -> TaskBatch:
        rng = np.random.default_rng(seed)
        T, cols = self.length, np.arange(batch_size)
        inputs = rng.integers(0, self.n_symbols, (T, batch_size))
        marks = rng.integers(0, T // 3, batch_size)
        inputs[marks, cols] = self.marker
        inputs[-1] = self.marker + 1
        targets = np.zeros_like(inputs)
        targets[-1] = inputs[marks + 1, cols]
        mask = np.zeros(inputs.shape, dtype=bool)
        mask[-1] = True
        return TaskBatch(inputs, targets, mask)

    def key_positions(self, inputs: np.ndarray) -> np.ndarray:
        """(B,) the step of the symbol to remember in each column of inputs (T, B)."""
        return (inputs == self.marker).argmax(axis=0) + 1


@dataclass(frozen=True)
class NextCharTask:
    """Predict each next character of windows cut from a short shipped text."""
    seq_len: int = 32
    text: str | None = None  # None: the shipped text

    @cached_property
    def corpus(self) -> str:
        return self.text if self.text is not None else TEXT_PATH.read_text(encoding="utf-8")

    @cached_property
    def vocab(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.corpus)))

    @cached_property
    def ids(self) -> np.ndarray:
        index = {ch: k for k, ch in enumerate(self.vocab)}
        return np.array([index[ch] for ch in self.corpus], dtype=np.int64)

    @property
    def chance(self) -> float:
        """Accuracy of always guessing the most frequent character."""
        return float(np.bincount(self.ids).max() / len(self.ids))

    def batch(self, batch_size: int, seed) -> TaskBatch:
        T = self.seq_len
        starts = np.random.default_rng(seed).integers(0, len(self.ids) - T, batch_size)
        window = self.ids[starts[None, :] + np.arange(T + 1)[:, None]]  # (T+1, B)
        return TaskBatch(window[:-1], window[1:], np.ones((T, batch_size), dtype=bool))

    def encode(self, text: str) -> np.ndarray:
        index = {ch: k for k, ch in enumerate(self.vocab)}
        return np.array([index[ch] for ch in text if ch in index], dtype=np.int64)


def decode(vocab: tuple[str, ...], ids) -> str:
    """Token ids -> the string of their symbols."""
    return "".join(vocab[i] for i in np.asarray(ids).reshape(-1))


def _letters(n: int, first: str = "A") -> tuple[str, ...]:
    return tuple(chr(ord(first) + k) for k in range(n))
