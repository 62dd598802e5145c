"""CNN receptive field: which words one position of a stacked 1-D convolution can see.

The network is real: L of the engine's causal convolutions (each position
reads itself and the k−1 words before it, zero padding at the start) with
tanh, over random token vectors. Which input words can influence the chosen position at layer l
is read off the gradient of that output with respect to the inputs: nonzero
exactly where the word is inside the receptive field. The formula
1 + (k−1)·l is then stated next to what the computation found.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from engine.conv import CausalConv1d, ConvCache
from engine.tokens import token_vectors

from tutor.frames import Frame, Grid, frozen
from .sentence import sentence_tokens

CHANNELS = 8


def make_layers(layers: int, kernel: int, seed: int = 0) -> list[CausalConv1d]:
    """L causal convolutions CHANNELS → CHANNELS, each with its own seed."""
    return [CausalConv1d(CHANNELS, CHANNELS, kernel, seed=1000 * seed + 11 + l) for l in range(layers)]


def conv_forward(x: np.ndarray, layer: CausalConv1d) -> tuple[np.ndarray, ConvCache]:
    """Causal conv + tanh. x: (T, C) → (T, C); y_t reads x_{t-k+1..t} (zeros before the start)."""
    a, cache = layer.forward(x[:, None, :])
    return np.tanh(a[:, 0, :]), cache


def conv_backward(dy: np.ndarray, y: np.ndarray, cache: ConvCache, layer: CausalConv1d) -> np.ndarray:
    """∂L/∂x of one layer from ∂L/∂y (T, C), its output y (T, C) and its cache."""
    da = dy * (1.0 - y * y)                                             # through tanh
    dx, _ = layer.backward(da[:, None, :], cache)
    return dx[:, 0, :]


def influence(x: np.ndarray, layers: list[CausalConv1d], position: int) -> np.ndarray:
    """(L+1, T) ‖∂y^(l)_position / ∂x_j‖ for l = 0..L (l = 0 is the input itself)."""
    T = x.shape[0]
    outputs, caches = [x], []
    for layer in layers:
        y, cache = conv_forward(outputs[-1], layer)
        outputs.append(y)
        caches.append(cache)
    rows = np.zeros((len(layers) + 1, T))
    rows[0, position] = np.sqrt(x.shape[1])                             # ∂x_p/∂x_j = I if j = p
    for l in range(1, len(layers) + 1):
        dy = np.zeros_like(outputs[l])
        dy[position] = 1.0                                               # seed: sum of y^(l)_p's channels
        for m in range(l, 0, -1):
            dy = conv_backward(dy, outputs[m], caches[m - 1], layers[m - 1])
        rows[l] = np.linalg.norm(dy, axis=1)
    return rows


def formula_span(kernel: int, layer: int) -> int:
    """Width of the receptive field after `layer` layers: 1 + (k−1)·l = k + (k−1)(l−1)."""
    return 1 + (kernel - 1) * layer


def choose_position(position: int, tokens: list[str]) -> tuple[int, str]:
    """0 means the last word (trailing punctuation skipped); p ≥ 1 is the p-th token, capped."""
    T = len(tokens)
    if position == 0 or T == 0:
        words = [i for i, t in enumerate(tokens) if any(ch.isalnum() for ch in t)]
        return (words[-1] if words else max(T - 1, 0)), ""
    if position > T:
        return T - 1, f"Position {position} is past the end: showing the last token ({T})."
    return position - 1, ""


def frames(sentence: str, kernel: int, layers: int, position: int, seed: int = 0) -> Iterator[Frame]:
    tokens, note = sentence_tokens(sentence)
    T = len(tokens)
    if T == 0:
        yield Frame((), note)
        return
    p, where = choose_position(position, tokens)
    notes = " ".join(n for n in (note, where) if n)
    x = token_vectors(tokens, CHANNELS, seed=seed)                     # (T, C)
    sees = influence(x, make_layers(layers, kernel, seed), p) > 0      # (L+1, T)
    rows = ("input",) + tuple(f"layer {l}" for l in range(1, layers + 1))
    word = tokens[p]
    for l in range(layers + 1):
        shown = np.full((layers + 1, T), np.nan)
        shown[:l + 1] = sees[:l + 1]
        cols = np.flatnonzero(sees[l])
        n = len(cols)
        if l == 0:
            caption = (f"Layer 0 is the input: position {p + 1} ({word!r}) is just its own word. Each layer"
                       f" is a causal convolution: a position reads itself and the {kernel - 1} before it.")
        else:
            span = formula_span(kernel, l)
            cut = f", cut to {n} by the sentence start" if n < span else ""
            caption = (f"Layer {l}: {word!r} can be influenced by words {cols[0] + 1}–{cols[-1] + 1}"
                       f" ({tokens[cols[0]]!r}…{word!r}): {n} words, from the gradient."
                       f"  Formula: k + (k−1)(l−1) = {kernel} + {kernel - 1}·{l - 1} = {span}{cut}.")
        if l == layers:
            caption += "\n" + _reach(p, kernel, layers, tokens)
        if notes:
            caption += "\n" + notes
        grid = Grid("receptive field", frozen(shown), rows, tuple(tokens), 0.0, 1.0,
                    palette="sequential", row_title="layer", col_title="word",
                    mark_col=p, mark_row=l, fmt="{:.0f}")
        yield Frame((grid,), caption, step=l)


def _reach(p: int, kernel: int, layers: int, tokens: list[str]) -> str:
    """How many layers it takes for the chosen word to see the first word."""
    if p == 0:
        return "The first word has nothing before it to see."
    needed = -(-p // (kernel - 1))  # ceil(p / (k−1))
    verdict = "this network has them" if needed <= layers else f"this network has only {layers}"
    return (f"To reach the first word ({tokens[0]!r}, {p} words back) {tokens[p]!r} needs "
            f"⌈{p}/(k−1)⌉ = {needed} layers: {verdict}.")
