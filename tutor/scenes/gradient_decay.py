"""Gradient decay through time: ‖∂L/∂h_t‖ per step, as a loss at the last step flows back.

A vanilla RNN reads a random sequence with W_hh rescaled to the chosen
spectral radius; the engine's diagnostics walk ∂L/∂h_t from t = T back to 1
(optionally clipping it at clip_norm every step). Overflow is data: inf/NaN
bars are drawn as overflow and the caption says so.

tanh saturates, so the gradient's growth is capped: float64 never runs out
here (its largest number is 1.8e308; radius 3 over 200 steps peaks near
1e22). The number format control carries the walk back out in a narrower
format (the engine's gradient_flow with that dtype): in float16 an entry
past 65504 becomes inf, and every step before it is computed from it (inf or
NaN); a vanishing gradient underflows to exactly 0 below 6e-8.
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

import engine
from engine.diagnostics import GradientFlow, gradient_flow, set_spectral_radius

from tutor.frames import Frame
from .recurrent_common import (INPUT_SIZE, describe_number, log_range, norm_bars, random_inputs, ratio,
                               reveal_counts, verdict)

HIDDEN = 16


def run(radius: float, length: int, clip: bool, clip_norm: float, seed: int,
        dtype: str = "float64") -> GradientFlow:
    """The engine run behind the scene: a float64 model, the walk back carried out in `dtype`."""
    model = engine.RNN(INPUT_SIZE, HIDDEN, seed=seed)
    set_spectral_radius(model, radius)
    return gradient_flow(model, random_inputs(length, seed), clip_norm=clip_norm if clip else None,
                         dtype=np.dtype(dtype))


def frames(radius: float, length: int, clip: bool, clip_norm: float, seed: int,
           dtype: str = "float64") -> Iterator[Frame]:
    yield from flow_frames(run(radius, length, clip, clip_norm, seed, dtype), clip_norm if clip else None, dtype)


def flow_frames(flow: GradientFlow, clip_norm: float | None, dtype: str = "float64") -> Iterator[Frame]:
    """Frames for a gradient walk: bars fill in from step T back to step 1."""
    norms = flow.norms
    clipped = flow.clipped_norms if clip_norm is not None else None
    T = len(norms)
    lo, hi = log_range(norms, *(() if clipped is None else (clipped,)))
    counts = reveal_counts(T)
    held = "" if dtype == "float64" else f" in {dtype}"
    for step, shown in enumerate(counts):
        panels = [norm_bars(f"‖∂L/∂h_t‖{held} per step t, no clipping", norms, shown, lo, hi,
                            height=8 if clipped is None else 6)]
        if clipped is not None:
            panels.append(norm_bars(f"‖∂L/∂h_t‖{held} clipped at {clip_norm:g} each step", clipped, shown, lo, hi,
                                    height=6))
        if shown == T:
            caption = _final_caption(flow.spectral_radius, norms, clipped, clip_norm, dtype)
        else:
            t = T - shown + 1  # 1-based step just reached
            caption = (f"Flowing back: step {t} of {T}.  ‖∂L/∂h_{t}‖ = {describe_number(float(norms[t - 1]))}"
                       f"  (the loss sits at step {T}, where the norm is {describe_number(float(norms[-1]))})")
        yield Frame(tuple(panels), caption, step=step)


def _final_caption(radius: float, norms: np.ndarray, clipped: np.ndarray | None, clip_norm: float | None,
                   dtype: str) -> str:
    T = len(norms)
    r = ratio(norms)
    lines = [f"Spectral radius of W_hh: {radius:.3g}.  After {T} steps back, "
             f"‖∂L/∂h_1‖/‖∂L/∂h_{T}‖ = {describe_number(r)}: {verdict(r)}."]
    finite = np.where(np.isfinite(norms), norms, -np.inf)
    if T > 1 and np.isfinite(finite).any() and finite.max() > 10 * norms[-1]:
        peak = int(np.argmax(finite))
        lines.append(f"Largest on the way: {finite[peak]:.3g} at step {peak + 1}.")
    bad = np.flatnonzero(~np.isfinite(norms))
    if bad.size:
        largest = np.finfo(dtype).max
        lines.append(f"Overflow: {bad.size} of {T} gradient norms are inf or NaN (bars marked !); "
                     f"{dtype} ran out of range at step {bad[-1] + 1}, past its largest number {largest:.5g}, "
                     "and every step before it is computed from that inf.")
    gone = np.flatnonzero(norms == 0)
    if gone.size:
        lines.append(f"Underflow: from step {gone[-1] + 1} back the gradient is exactly 0 in {dtype}, "
                     f"below its smallest positive number {np.finfo(dtype).smallest_subnormal:.2g}.")
    if clipped is not None:
        rc = ratio(clipped)
        grew = int(np.count_nonzero(~(norms <= clip_norm)))  # inf and NaN grew too
        lines.append(f"Clipped at {clip_norm:g}: ratio {describe_number(rc)}. Clipping caps growth"
                     f" ({grew} step{'s' if grew != 1 else ''} above {clip_norm:g} without it)"
                     " but cannot bring back a vanished gradient."
                     + (f" Clipped, the walk stays within {dtype}'s range." if bad.size and np.isfinite(clipped).all()
                        else ""))
    return "\n".join(lines)
