"""RNN vs LSTM gradient flow: both bars are the engine's ‖∂L/∂h_t‖ on one input sequence."""
import numpy as np
import pytest

import engine
from engine.diagnostics import gradient_flow
from tests.scenes.test_attention_common import render_frame
from tutor.frames import Bars
from tutor.scenes.recurrent_common import INPUT_SIZE, LSTM_CHRONO, random_inputs, reveal_counts
from tutor.scenes.registry import SCENES


def run(**values):
    return list(SCENES["gradient_flow_compare"].frames(values))


@pytest.mark.parametrize("length,hidden,seed", [(40, 16, 0), (7, 3, 5), (120, 8, 1)])
def test_bars_are_the_engine_flows(length, hidden, seed):
    frames = run(length=length, hidden=hidden, seed=seed)
    x = random_inputs(length, seed)
    rnn = gradient_flow(engine.RNN(INPUT_SIZE, hidden, seed=seed), x)
    lstm_model = engine.LSTM(INPUT_SIZE, hidden, seed=seed)
    lstm_model.params["bias_hh"][:hidden] -= LSTM_CHRONO          # input gate nearly shut
    lstm_model.params["bias_hh"][hidden:2 * hidden] += LSTM_CHRONO  # forget gate open
    lstm = gradient_flow(lstm_model, x)
    counts = reveal_counts(length)
    assert len(frames) == len(counts)
    for frame, shown in zip(frames, counts):
        a, b = frame.panels
        assert isinstance(a, Bars) and isinstance(b, Bars) and a.log and b.log
        assert (a.vmin, a.vmax) == (b.vmin, b.vmax)  # one axis for both
        np.testing.assert_array_equal(a.values[length - shown:], rnn.norms[length - shown:])
        np.testing.assert_array_equal(b.values[length - shown:], lstm.norms[length - shown:])
        assert (a.values[:length - shown] == 0).all() and (b.values[:length - shown] == 0).all()
    caption = frames[-1].caption
    assert f"RNN {rnn.norms[0] / rnn.norms[-1]:.3g}" in caption
    assert f"LSTM {lstm.norms[0] / lstm.norms[-1]:.3g}" in caption


def test_lstm_keeps_more_gradient_at_the_default():
    caption = run()[-1].caption
    assert "The LSTM keeps" in caption and "vanished" in caption.split("LSTM")[0]


def test_shortest_and_rendering():
    frames = run(length=2, hidden=2)
    assert len(frames) == 2
    for frame in (frames[0], frames[-1], run()[10], run(length=200, hidden=8)[-1]):
        text = render_frame(frame, 80)
        assert "RNN ‖∂L/∂h_t‖" in text and "LSTM ‖∂L/∂h_t‖" in text
