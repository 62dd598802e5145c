"""The RNN unroll scene shows the engine's own hidden states, one column per tick."""
import numpy as np

import engine
from engine.tokens import token_vectors
from tutor.scenes.registry import SCENES
from tutor.scenes.recurrent_common import INPUT_SIZE


def test_frames_fill_columns_with_engine_hidden_states():
    frames = list(SCENES["rnn_unroll"].frames({"sentence": "The cat sat", "hidden": 5, "seed": 3}))
    assert len(frames) == 4
    x = token_vectors(["The", "cat", "sat"], INPUT_SIZE, seed=3)[:, None, :]
    hs, _ = engine.RNN(INPUT_SIZE, 5, seed=3).forward(x)
    for t, frame in enumerate(frames):
        grid = frame.panels[0]
        assert grid.shape == (5, 3)
        assert grid.col_labels == ("The", "cat", "sat")
        np.testing.assert_array_equal(grid.values[:, :t], hs[:t, 0, :].T)
        assert np.isnan(grid.values[:, t:]).all()
    assert not frames[-1].panels[0].values.flags.writeable


def test_empty_and_long_sentences_are_data_not_errors():
    empty = list(SCENES["rnn_unroll"].frames({"sentence": "   "}))
    assert len(empty) == 1 and "no words" in empty[0].caption
    long = list(SCENES["rnn_unroll"].frames({"sentence": "word " * 500}))
    assert long[-1].panels[0].shape[1] == engine.MAX_TOKENS
    assert "Only the first" in long[-1].caption
