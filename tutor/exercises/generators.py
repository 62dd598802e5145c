"""The exercise generators. Every answer is computed by the engine, never typed in."""
from __future__ import annotations

import numpy as np

from . import Exercise


def _sizes(seed: int) -> tuple[int, int]:
    rng = np.random.default_rng(seed)
    return int(rng.integers(2, 65)), int(rng.integers(2, 129))


def rnn_params(seed: int) -> Exercise:
    import engine

    I, H = _sizes(seed)
    count = engine.RNN(I, H).num_parameters()
    return Exercise(
        f"How many parameters does a vanilla RNN layer have with input size {I} and hidden size {H} "
        "(W_ih, W_hh and both bias vectors, as in PyTorch)?",
        count, 0.0, f"H·I + H·H + 2H = {H}·{I} + {H}·{H} + 2·{H} = {count}")


def lstm_params(seed: int) -> Exercise:
    import engine

    I, H = _sizes(seed)
    count = engine.LSTM(I, H).num_parameters()
    return Exercise(
        f"How many parameters does an LSTM layer have with input size {I} and hidden size {H} "
        "(four gates, each with W_ih, W_hh and two biases, as in PyTorch)?",
        count, 0.0, f"4·(H·I + H·H + 2H) = 4·({H}·{I} + {H}·{H} + 2·{H}) = {count}")


def rnn_step(seed: int, hidden: int) -> Exercise:
    import engine

    rng = np.random.default_rng(seed)
    model = engine.RNN(1, hidden, seed=seed)
    x = np.round(rng.uniform(-2, 2, size=(1, 1, 1)), 1)
    h, _ = model.forward(x)
    w = model.params["weight_ih"][0, 0]
    b = model.params["bias_ih"][0] + model.params["bias_hh"][0]
    return Exercise(
        f"An RNN starts from h_0 = 0 and reads x_1 = {x[0, 0, 0]:g}. For hidden unit 1, "
        f"W_xh = {w:.3f} and b = {b:.3f}. What is h_1 for that unit (to 3 decimals)?",
        float(round(h[0, 0, 0], 3)), 2e-3,
        f"h_1 = tanh({w:.3f}·{x[0, 0, 0]:g} + {b:.3f}) = {h[0, 0, 0]:.4f}; W_hh·h_0 is 0.")
