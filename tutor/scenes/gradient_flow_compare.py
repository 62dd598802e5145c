"""RNN vs LSTM gradient flow: ‖∂L/∂h_t‖ per step for both models on the same sequence.

Both read the same random sequence; a loss at the last step is walked back
through time by the engine's diagnostics. The LSTM starts with its forget
gate open and its input gate nearly shut ("chrono" initialisation, as in the
training scene), so its cell-state path c_t = f⊙c_{t−1} + … begins open.
"""
from __future__ import annotations

import math
from collections.abc import Iterator

import engine
from engine.diagnostics import GradientFlow, gradient_flow
from engine.recurrent_train import chrono_init

from tutor.frames import Frame
from .recurrent_common import (INPUT_SIZE, LSTM_CHRONO, describe_number, log_range, norm_bars,
                               random_inputs, ratio, reveal_counts, verdict)


def make_lstm(hidden: int, seed: int) -> engine.LSTM:
    """An LSTM with PyTorch's initialisation, then chrono-shifted gate biases."""
    model = engine.LSTM(INPUT_SIZE, hidden, seed=seed)
    chrono_init(model, LSTM_CHRONO)
    return model


def run(length: int, hidden: int, seed: int) -> tuple[GradientFlow, GradientFlow]:
    """(RNN flow, LSTM flow) on the same input sequence."""
    x = random_inputs(length, seed)
    return (gradient_flow(engine.RNN(INPUT_SIZE, hidden, seed=seed), x),
            gradient_flow(make_lstm(hidden, seed), x))


def frames(length: int, hidden: int, seed: int) -> Iterator[Frame]:
    rnn, lstm = run(length, hidden, seed)
    T = length
    lo, hi = log_range(rnn.norms, lstm.norms)
    counts = reveal_counts(T)
    for step, shown in enumerate(counts):
        # One above the other on the same axis: step t of both models lines up in a column,
        # and forty steps fit in 80 columns (side by side they would not).
        panels = (norm_bars("RNN ‖∂L/∂h_t‖", rnn.norms, shown, lo, hi, height=6),
                  norm_bars("LSTM ‖∂L/∂h_t‖ (same sequence, same axis)", lstm.norms, shown, lo, hi, height=6))
        if shown == T:
            caption = _final_caption(rnn, lstm)
        else:
            t = T - shown + 1
            caption = (f"Flowing back: step {t} of {T}.  RNN ‖∂L/∂h_{t}‖ = {describe_number(float(rnn.norms[t - 1]))}"
                       f",  LSTM ‖∂L/∂h_{t}‖ = {describe_number(float(lstm.norms[t - 1]))}")
        yield Frame(panels, caption, step=step)


def _final_caption(rnn: GradientFlow, lstm: GradientFlow) -> str:
    T = len(rnn.norms)
    r_rnn, r_lstm = ratio(rnn.norms), ratio(lstm.norms)
    text = (f"‖∂L/∂h_1‖/‖∂L/∂h_{T}‖ after {T} steps:  RNN {describe_number(r_rnn)} ({verdict(r_rnn)}),"
            f"  LSTM {describe_number(r_lstm)} ({verdict(r_lstm)}).")
    if all(map(lambda r: 0 < r < float("inf"), (r_rnn, r_lstm))):
        text += f"  The LSTM keeps {r_lstm / r_rnn:.3g}× as much."
    if lstm.cell_norms is not None:
        text += (f"\nThe LSTM's cell path: ‖∂L/∂c_1‖ = {describe_number(float(lstm.cell_norms[0]))}"
                 f" (forget gate bias +{LSTM_CHRONO:g}: f starts near σ({LSTM_CHRONO:g}) ≈ "
                 f"{1 / (1 + math.exp(-LSTM_CHRONO)):.2f}).")
    if rnn.overflow or lstm.overflow:
        text += "\nOverflow: some norms are inf or NaN (bars marked !)."
    return text
