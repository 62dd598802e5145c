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


def untrained(**values):
    return run(model="untrained", **values)


def grids(frame):
    return [g for p in frame.panels for g in (p.panels if isinstance(p, Row) else (p,))]


@pytest.mark.parametrize("cell,names", [("lstm", ("i", "f", "g", "o", "cs", "hs")), ("gru", ("r", "z", "n", "hs"))])
def test_grids_are_the_engine_cache(cell, names):
    sentence = "The cat sat on the mat"
    frames = untrained(sentence=sentence, cell=cell, hidden=5, seed=2)
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
        empty = untrained(sentence=" ", cell=cell)
        assert len(empty) == 1 and empty[0].panels == () and "no words" in empty[0].caption
    long = untrained(sentence="a " * 80, hidden=2)
    assert grids(long[-1])[0].shape == (2, engine.MAX_TOKENS) and "Only the first" in long[-1].caption
    assert all(isinstance(p, Grid) for p in long[-1].panels)  # too wide to pair: one grid per line
    render_frame(long[-1])


def test_frames_render():
    for cell in ("lstm", "gru"):
        frames = untrained(cell=cell, sentence="The cat sat on the mat")
        for frame in (frames[0], frames[3], frames[-1]):
            text = render_frame(frame, 80)
            assert ("forget gate f" if cell == "lstm" else "update gate z") in text


# -- model: trained -------------------------------------------------------------------

def test_trained_is_the_default_and_its_sentence_is_a_task_sequence():
    from engine.recipes.gates import TASK

    spec = SCENES["gates"]
    assert spec.defaults()["model"] == "trained"
    tokens = engine.tokenize(spec.defaults()["sentence"])
    assert len(tokens) == TASK.length and tokens[-1] == "?" and set(tokens) <= set(TASK.vocab)
    assert tokens.index("!") < TASK.length // 3 and tokens.count("!") == 1


@pytest.mark.parametrize("seed", [0, 3])
def test_trained_grids_are_the_memory_units_gates_beside_the_untrained_cell(seed):
    from engine.recipes.gates import TASK, gate_summary, gate_trace, load_gates, untrained_gates

    g = load_gates()
    sentence = SCENES["gates"].defaults()["sentence"]
    tokens = engine.tokenize(sentence)
    ids = np.array([TASK.vocab.index(t) for t in tokens])
    frames = run(seed=seed)
    assert len(frames) == len(tokens)
    units = list(g.memory_units)
    for net, panel in ((g.net, 0), (untrained_gates(seed), 1)):
        tr = gate_trace(net, ids)
        for t, frame in enumerate(frames, start=1):
            grid = frame.panels[panel]
            assert grid.row_labels == ("input i", "forget f") and grid.col_labels == tuple(tokens)
            np.testing.assert_allclose(grid.values[0, :t], tr["i"][:t, units].mean(1), rtol=1e-12)
            np.testing.assert_allclose(grid.values[1, :t], tr["f"][:t, units].mean(1), rtol=1e-12)
            assert np.isnan(grid.values[:, t:]).all() and grid.mark_col == t - 1
    key = tokens.index("!") + 1
    trained = gate_trace(g.net, ids)
    caption = frames[-1].caption
    assert f"Key {tokens[key]!r}: i {trained['i'][key, units].mean():.2f}" in caption
    gap = trained["f"][key + 1:-1, units].mean()
    assert f"f over the gap {gap:.2f}" in caption
    held, base = gate_summary(g.net, units), gate_summary(untrained_gates(seed), units)
    assert (f"Held out: i {held['input_at_key']:.2f} at the key, {held['input_elsewhere']:.2f} elsewhere "
            f"({base['input_at_key']:.2f}, {base['input_elsewhere']:.2f}); f {held['forget_over_gap']:.2f} "
            f"({base['forget_over_gap']:.2f})") in caption
    answer = TASK.vocab[int(g.net.forward(ids[:, None])[0][-1, 0].argmax())]
    assert answer == tokens[key] and f"it answers {answer!r}" in caption
    for f in frames[::6]:
        render_frame(f, 80)


def test_trained_reads_other_words_as_no_input_and_says_so():
    frames = run(sentence="b d ! a cat c ?")
    assert "'cat' read as no input" in frames[-1].caption
    assert frames[-1].panels[0].col_labels == ("b", "d", "!", "a", "cat", "c", "?")
    assert "Key 'a':" in frames[-1].caption
    assert run(sentence=" ")[0].panels == ()
    gru = run(cell="gru")[-1].caption
    assert "The trained model is an LSTM" in gru
