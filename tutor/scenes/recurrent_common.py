"""Pieces shared by the recurrent-network scenes: inputs, gradient bars, number wording."""
from __future__ import annotations

import math

import numpy as np

from engine.tokens import token_vectors

from tutor.frames import Bars, frozen
from .sentence import sentence_tokens

INPUT_SIZE = 8         # width of every token vector fed to a recurrent model
MAX_REVEAL_FRAMES = 40  # a gradient walk of any length animates in at most this many frames
# Every LSTM in these scenes starts as a memory, after the "chrono" initialisation of
# Tallec & Ollivier (2018), with engine.recurrent_train.chrono_init, as RecurrentNet(chrono=...) does:
# forget-gate bias +3 (f ≈ σ(3) ≈ 0.95, the cell keeps itself) and input-gate bias −3.
# PyTorch's default starts both gates near ½: the cell halves itself every step.
LSTM_CHRONO = 3.0


def sentence_inputs(sentence: str, seed: int) -> tuple[list[str], str, np.ndarray]:
    """Tokens, a note for the learner (cut or empty), and the inputs x: (T, 1, INPUT_SIZE)."""
    tokens, note = sentence_tokens(sentence)
    x = token_vectors(tokens, INPUT_SIZE, seed=seed)  # (T, I)
    return tokens, note, x[:, None, :]                # (T, B=1, I)


def random_inputs(length: int, seed: int) -> np.ndarray:
    """A random input sequence x: (T, 1, INPUT_SIZE), N(0, 1) entries, fixed by the seed."""
    return np.random.default_rng([seed, 7]).standard_normal((length, 1, INPUT_SIZE))


def log_range(*arrays: np.ndarray) -> tuple[float, float]:
    """Powers of ten around every finite positive value (for a log axis shared by panels)."""
    values = np.concatenate([np.ravel(a) for a in arrays]) if arrays else np.empty(0)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return 1e-1, 1e1
    lo = 10.0 ** math.floor(math.log10(values.min()))
    hi = 10.0 ** math.ceil(math.log10(values.max()))
    return (lo, hi) if hi > lo else (lo / 10, hi * 10)


def reveal_counts(T: int, max_frames: int = MAX_REVEAL_FRAMES) -> list[int]:
    """How many steps (counted back from the last) each frame of a backward walk shows: 1 … T."""
    if T <= 0:
        return [0]
    return sorted({int(round(c)) for c in np.linspace(1, T, min(T, max_frames))})


def norm_bars(title: str, norms: np.ndarray, shown: int, lo: float, hi: float, height: int = 8) -> Bars:
    """‖∂L/∂h_t‖ for t = 1..T on a log axis; only the last `shown` steps are filled in yet."""
    T = len(norms)
    values = np.zeros(T)                # 0 draws as an empty bar on a log axis: not reached yet
    if shown:
        values[T - shown:] = norms[T - shown:]
    labels = tuple(str(t + 1) for t in range(T))
    return Bars(title, labels, frozen(values), lo, hi, log=True, fmt="{:.3g}",
                highlight=T - shown if shown else None, height=height)


def ratio(norms: np.ndarray) -> float:
    """‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ (inf or NaN when the walk overflowed)."""
    with np.errstate(all="ignore"):
        return float(norms[0] / norms[-1]) if len(norms) else float("nan")


def describe_number(value: float) -> str:
    """A norm or ratio for a caption, overflow said in words."""
    if math.isnan(value):
        return "NaN (overflow)"
    if math.isinf(value):
        return "inf (overflow)"
    return f"{value:.3g}"


def verdict(r: float) -> str:
    """What a first/last gradient ratio means."""
    if not math.isfinite(r):
        return "the gradient overflowed: exploding"
    if r < 1e-6:
        return "vanished: the first steps get almost no gradient"
    if r < 1e-1:
        return "shrinking, but the first steps still get some"
    if r > 10:
        return "exploding: the first steps get a much larger gradient"
    return "roughly preserved"
