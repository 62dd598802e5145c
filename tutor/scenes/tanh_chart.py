"""tanh and tanh′, with the RNN's pre-activations of the current step marked on them.

A vanilla RNN reads the sentence with all its weights (W_xh and W_hh, as the lessons name them)
multiplied by `scale`: larger weights spread the pre-activations a_t out
to where tanh is flat, tanh′ ≈ 0, and the gradient through that step dies.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

import engine
from engine.functional import tanh_grad_from_output

from tutor.frames import Bars, Chart, Frame, Series, frozen
from .recurrent_common import INPUT_SIZE, sentence_inputs

X_RANGE = (-4.0, 4.0)
SATURATED = 2.0     # |a| beyond which tanh′(a) < 0.071: the unit counts as saturated
CURVE_POINTS = 161
# A marker: the point, then arms of two dots each way (about a braille dot apart at 80 columns).
MARKER_DX = np.array([0.0, -0.06, -0.12, 0.06, 0.12, 0.0, 0.0, 0.0, 0.0])
MARKER_DY = np.array([0.0, 0.0, 0.0, 0.0, 0.0, -0.055, -0.11, 0.055, 0.11])
MARKER = len(MARKER_DX)


def run(sentence: str, scale: float, hidden: int, seed: int):
    """Tokens, a note, and the pre-activations a_t: (T, H) of the scaled RNN."""
    tokens, note, x = sentence_inputs(sentence, seed)
    model = engine.RNN(INPUT_SIZE, hidden, seed=seed)
    for name in ("weight_ih", "weight_hh"):
        model.params[name] *= scale
    if not tokens:
        return tokens, note, np.zeros((0, hidden))
    _, cache = model.forward(x)
    return tokens, note, cache.pre[:, 0, :]  # (T, H)


def dtanh(a: np.ndarray) -> np.ndarray:
    """tanh′(a), the slope the gradient is multiplied by (the engine's own derivative)."""
    return tanh_grad_from_output(np.tanh(a))


def frames(sentence: str, scale: float, hidden: int, seed: int) -> Iterator[Frame]:
    tokens, note, pre = run(sentence, scale, hidden, seed)
    curve_x = np.linspace(*X_RANGE, CURVE_POINTS)
    curves = (Series("tanh(a)", frozen(curve_x), frozen(np.tanh(curve_x))),
              Series("tanh′(a)", frozen(curve_x), frozen(dtanh(curve_x))))
    units = tuple(f"u{i + 1}" for i in range(pre.shape[1]))
    if not tokens:
        yield Frame((_chart(curves, ()),), f"tanh and its slope tanh′ = 1 − tanh².\n{note}")
        return
    for t, a in enumerate(pre):
        with np.errstate(all="ignore"):
            shown = np.clip(a, *X_RANGE)  # markers of values beyond ±4 sit on the edge
            slopes = dtanh(a)
        marks = (_markers("a_t on tanh", shown, np.tanh(a)), _markers("a_t on tanh′", shown, slopes))
        bars = Bars(f"tanh′(a_t) per unit at step {t + 1}", units, frozen(slopes), 0.0, 1.0,
                    fmt="{:.3f}", height=4)
        yield Frame((_chart(curves, marks), bars), _caption(t, tokens, a, slopes, scale, note), step=t)


def _markers(label: str, x: np.ndarray, y: np.ndarray) -> Series:
    """Each point (x, y) drawn as a small plus of dots, so it stands out on the curve.

    The points themselves are every MARKER-th entry, starting at 0.
    """
    xs = (x[:, None] + MARKER_DX[None, :]).ravel()
    ys = (y[:, None] + MARKER_DY[None, :]).ravel()
    return Series(label, frozen(xs), frozen(ys), points=True)


def _chart(curves, marks) -> Chart:
    return Chart("tanh and tanh′ with this step's pre-activations", (*curves, *marks),
                 X_RANGE, (-1.05, 1.05), x_label="pre-activation a", height=10)


def _caption(t: int, tokens: list[str], a: np.ndarray, slopes: np.ndarray, scale: float, note: str) -> str:
    T, H = len(tokens), len(a)
    finite = np.isfinite(a)
    if not finite.all():
        text = (f"Step {t + 1}/{T} ({tokens[t]!r}): {int((~finite).sum())} of {H} pre-activations "
                "are inf or NaN (overflow).")
    else:
        saturated = int(np.count_nonzero(np.abs(a) > SATURATED))
        beyond = int(np.count_nonzero(np.abs(a) > X_RANGE[1]))
        text = (f"Step {t + 1}/{T} ({tokens[t]!r}), weights ×{scale:g}: mean tanh′ = {slopes.mean():.3f}"
                f" over {H} units; {saturated} saturated (|a| > {SATURATED:g}), "
                f"largest |a| = {np.abs(a).max():.2f}.")
        if beyond:
            text += f" {beyond} beyond ±4 are drawn at the edge."
    return f"{text}\n{note}" if note else text
