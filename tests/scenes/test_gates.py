"""Gates: every grid is a gate or state from the engine's LSTM/GRU cache, filled step by step."""
import numpy as np
import pytest

import engine
from engine.tokens import token_vectors
from tests.scenes.test_attention_common import render_frame
from tutor.frames import Grid, Row
from tutor.scenes.recurrent_common import INPUT_SIZE
from tutor.scenes.registry import SCENES


def run(**values):
    return list(SCENES["gates"].frames(values))


def grids(frame):
    return [g for p in frame.panels for g in (p.panels if isinstance(p, Row) else (p,))]


@pytest.mark.parametrize("cell,names", [("lstm", ("i", "f", "g", "o", "cs", "hs")), ("gru", ("r", "z", "n", "hs"))])
def test_grids_are_the_engine_cache(cell, names):
    sentence = "The cat sat on the mat"
    frames = run(sentence=sentence, cell=cell, hidden=5, seed=2)
    tokens = engine.tokenize(sentence)
    model = (engine.LSTM if cell == "lstm" else engine.GRU)(INPUT_SIZE, 5, seed=2)
    _, cache = model.forward(token_vectors(tokens, INPUT_SIZE, seed=2)[:, None, :])
    assert len(frames) == len(tokens) + 1
    for t, frame in enumerate(frames):
        assert all(isinstance(p, Row) and len(p.panels) <= 2 for p in frame.panels)
        shown = grids(frame)
        assert len(shown) == len(names)
        for grid, name in zip(shown, names):
            expected = getattr(cache, name)[:, 0, :].T  # (H, T)
            assert isinstance(grid, Grid) and grid.shape == (5, len(tokens))
            np.testing.assert_array_equal(grid.values[:, :t], expected[:, :t])
            assert np.isnan(grid.values[:, t:]).all()
            assert grid.mark_col == (t - 1 if t else None)
            gate = name in ("i", "f", "o", "r", "z")
            assert grid.palette == ("sequential" if gate else "diverging")
            if gate:
                assert (grid.vmin, grid.vmax) == (0.0, 1.0)
            else:
                assert grid.vmin == -grid.vmax and grid.vmax >= 1.0
            assert grid.vmin <= np.min(expected) and np.max(expected) <= grid.vmax
    last = frames[-1].caption
    if cell == "lstm":
        assert f"mean f = {cache.f[-1, 0].mean():.2f}" in last and f"‖c_6‖ = {np.linalg.norm(cache.cs[-1, 0]):.3f}" in last
    else:
        assert f"mean z = {cache.z[-1, 0].mean():.2f}" in last


def test_edge_cases_are_data():
    for cell in ("lstm", "gru"):
        empty = run(sentence=" ", cell=cell)
        assert len(empty) == 1 and empty[0].panels == () and "no words" in empty[0].caption
    long = run(sentence="a " * 80, hidden=2)
    assert grids(long[-1])[0].shape == (2, engine.MAX_TOKENS) and "Only the first" in long[-1].caption
    assert all(isinstance(p, Grid) for p in long[-1].panels)  # too wide to pair: one grid per line
    render_frame(long[-1])


def test_frames_render():
    for cell in ("lstm", "gru"):
        frames = run(cell=cell)
        for frame in (frames[0], frames[3], frames[-1]):
            text = render_frame(frame, 80)
            assert ("forget gate f" if cell == "lstm" else "update gate z") in text
