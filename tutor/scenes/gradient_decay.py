"""Gradient decay through time: ‖∂L/∂h_t‖ per step, as a loss at the last step flows back.

A vanilla RNN reads a random sequence with W_hh rescaled to the chosen
spectral radius; the engine's diagnostics walk ∂L/∂h_t from t = T back to 1
(optionally clipping it at clip_norm every step). Overflow is data: inf/NaN
bars are drawn as overflow and the caption says so.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

import engine
from engine.diagnostics import GradientFlow, gradient_flow, set_spectral_radius

from .frame import Frame
from .recurrent_common import (INPUT_SIZE, describe_number, log_range, norm_bars, random_inputs, ratio,
                               reveal_counts, verdict)

HIDDEN = 16


def run(radius: float, length: int, clip: bool, clip_norm: float, seed: int) -> GradientFlow:
    """The engine run behind the scene."""
    model = engine.RNN(INPUT_SIZE, HIDDEN, seed=seed)
    set_spectral_radius(model, radius)
    return gradient_flow(model, random_inputs(length, seed), clip_norm=clip_norm if clip else None)


def frames(radius: float, length: int, clip: bool, clip_norm: float, seed: int) -> Iterator[Frame]:
    yield from flow_frames(run(radius, length, clip, clip_norm, seed), clip_norm if clip else None)


def flow_frames(flow: GradientFlow, clip_norm: float | None) -> Iterator[Frame]:
    """Frames for a gradient walk: bars fill in from step T back to step 1."""
    norms = flow.norms
    clipped = flow.clipped_norms if clip_norm is not None else None
    T = len(norms)
    lo, hi = log_range(norms, *(() if clipped is None else (clipped,)))
    counts = reveal_counts(T)
    for step, shown in enumerate(counts):
        panels = [norm_bars("‖∂L/∂h_t‖ per step t, no clipping", norms, shown, lo, hi,
                            height=8 if clipped is None else 6)]
        if clipped is not None:
            panels.append(norm_bars(f"‖∂L/∂h_t‖ clipped at {clip_norm:g} each step", clipped, shown, lo, hi,
                                    height=6))
        if shown == T:
            caption = _final_caption(flow, clipped, clip_norm)
        else:
            t = T - shown + 1  # 1-based step just reached
            caption = (f"Flowing back: step {t} of {T}.  ‖∂L/∂h_{t}‖ = {describe_number(float(norms[t - 1]))}"
                       f"  (the loss sits at step {T}, where the norm is {describe_number(float(norms[-1]))})")
        yield Frame(tuple(panels), caption, step=step)


def _final_caption(flow: GradientFlow, clipped: np.ndarray | None, clip_norm: float | None) -> str:
    norms, T = flow.norms, len(flow.norms)
    r = ratio(norms)
    lines = [f"Spectral radius of W_hh: {flow.spectral_radius:.3g}.  After {T} steps back, "
             f"‖∂L/∂h_1‖/‖∂L/∂h_{T}‖ = {describe_number(r)}: {verdict(r)}."]
    finite = np.where(np.isfinite(norms), norms, -np.inf)
    if T > 1 and np.isfinite(finite).any() and finite.max() > 10 * norms[-1]:
        peak = int(np.argmax(finite))
        lines.append(f"Largest on the way: {finite[peak]:.3g} at step {peak + 1}.")
    if flow.overflow:
        bad = int(np.count_nonzero(~np.isfinite(norms)))
        lines.append(f"Overflow: {bad} of {T} gradient norms are inf or NaN (bars marked !); "
                     "float64 ran out of range.")
    if clipped is not None:
        rc = ratio(clipped)
        grew = int(np.count_nonzero(norms > clip_norm))
        lines.append(f"Clipped at {clip_norm:g}: ratio {describe_number(rc)}. Clipping caps growth"
                     f" ({grew} step{'s' if grew != 1 else ''} above {clip_norm:g} without it)"
                     " but cannot bring back a vanished gradient.")
    return "\n".join(lines)
