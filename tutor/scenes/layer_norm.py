"""Layer normalization of one token's activations: before, normalized, after γ and β."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

import engine
from engine.functional import relu

from .attention_common import D_MODEL, no_words, read_sentence, with_note
from tutor.frames import Frame, Grid, Table, frozen

WIDTH = 12           # activations per token, few enough to read every value at 80 columns


def run(sentence: str, gamma: float, beta: float, seed: int):
    """The sentence, h = ReLU(W·x + b) for every token (T, WIDTH), and the engine LayerNorm's (y, cache)."""
    s = read_sentence(sentence, seed, positions=False)
    pre, _ = engine.Linear(D_MODEL, WIDTH, seed=seed).forward(s.X)    # (T, WIDTH)
    h = relu(pre)
    norm = engine.LayerNorm(WIDTH)
    norm.params["weight"][...] = gamma
    norm.params["bias"][...] = beta
    y, cache = norm.forward(h)
    return s, h, y, cache, norm.eps


def _stats(v: np.ndarray) -> tuple[str, ...]:
    return (f"{v.mean():+.4f}", f"{v.std():.4f}", f"{v.min():+.4f}", f"{v.max():+.4f}")


def frames(sentence: str, token: int, gamma: float, beta: float, seed: int) -> Iterator[Frame]:
    s, h, y, cache, eps = run(sentence, gamma, beta, seed)
    tokens, T = s.tokens, len(s.tokens)
    if not T:
        yield no_words(s.note)
        return
    t = min(token, T) - 1
    note = s.note if token <= T else with_note(f"Token {token} asked, but the sentence has {T}: showing token {T}.",
                                               s.note)
    x, x_hat, out = h[t], cache.x_hat[t], y[t]
    mu, sigma = float(x.mean()), float(x.std())
    rows = np.stack([x, x_hat, out])                                   # (3, WIDTH)
    limit = float(np.max(np.abs(rows))) or 1.0
    names = ("mean μ", "std σ", "min", "max")
    stats = (_stats(x), _stats(x_hat), _stats(out))
    label = f"token {t + 1}/{T} {tokens[t]!r}"
    captions = (
        f"{label}: h = ReLU(W·x + b), a seeded layer's {WIDTH} outputs — never negative, so the mean is "
        f"above 0: μ = {mu:.4f}, σ = {sigma:.4f}.",
        f"Normalize: x̂ = (h − μ)/√(σ² + ε) with μ = {mu:.4f}, σ = {sigma:.4f}, ε = {eps:g}: "
        f"now mean {x_hat.mean():+.1e} and std {x_hat.std():.4f}.",
        f"Scale and shift: y = γ·x̂ + β with γ = {gamma:g}, β = {beta:g} (the LayerNorm's weight and bias, "
        f"learned in a real model): mean {out.mean():+.4f} = β, std {out.std():.4f} = |γ|·{x_hat.std():.4f}.",
    )
    for step in range(3):
        shown = rows.copy()
        shown[step + 1:] = np.nan
        grid = Grid(label, frozen(shown), ("h", "x̂", "y"), tuple(str(i + 1) for i in range(WIDTH)),
                    -limit, limit, row_title="stage", col_title="unit", mark_row=step, fmt="{:+.4f}")
        table = Table(f"μ = {mu:.3f}, σ = {sigma:.3f}, γ = {gamma:g}, β = {beta:g}",
                      ("", "h (before)", "x̂", "y (after)"),
                      tuple((names[r], *(stats[c][r] if c <= step else "·" for c in range(3))) for r in range(4)))
        yield Frame((grid, table), with_note(captions[step], note), step=step)
