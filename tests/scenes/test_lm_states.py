"""lm_states: a shipped character model's hidden states over a sentence, and its next-character distribution."""
import numpy as np

from tutor.frames import Bars, Grid
from tutor.scenes import lm_states as ls
from tutor.scenes.lm_weights import shipped_lm
from tutor.scenes.registry import SCENES

from .test_attention_common import render_frame

SENTENCE = "The cat sat on the mat"


def run(**params):
    return list(SCENES["lm_states"].frames({"sentence": SENTENCE} | params))


def test_columns_are_the_models_states_and_bars_its_distribution():
    frames = run(architecture="gru", units=6)
    assert len(frames) == len(SENTENCE) and frames[-1].final and not frames[0].final
    lm = shipped_lm("gru")
    ids = np.array([lm.chars.index(c) for c in SENTENCE])
    h = lm.model.hidden_states(ids)["h"]
    grid, bars = frames[-1].panels
    assert isinstance(grid, Grid) and isinstance(bars, Bars) and grid.shape == (6, len(SENTENCE))
    rows = [int(label[2:-1]) for label in grid.row_labels]
    assert sorted(rows, key=lambda r: -h[:, r].std())[:6] == sorted(np.argsort(-h.std(axis=0))[:6],
                                                                  key=lambda r: -h[:, r].std())
    np.testing.assert_allclose(grid.values, h[:, rows].T)
    assert np.isnan(frames[2].panels[0].values[:, 3:]).all()           # characters not yet read
    p = ls.next_distribution(lm.model, ids)
    np.testing.assert_allclose(bars.values, np.sort(p)[::-1][:ls.SHOWN])
    assert bars.labels[0] == {" ": "␣"}.get(lm.chars[int(np.argmax(p))], lm.chars[int(np.argmax(p))])
    for frame in frames[::7]:
        render_frame(frame)


def test_training_changed_the_distribution():
    trained, untrained = run()[-1].panels[1], run(model="untrained")[-1].panels[1]
    assert float(trained.values[0]) > 3 * float(untrained.values[0])
    assert "untrained RNN" in run(model="untrained")[-1].panels[0].title


def test_text_it_cannot_read_is_said():
    assert "type a sentence" in run(sentence="")[0].caption
    assert run(sentence="x" * 80)[0].caption.startswith(f"Only the first {ls.MAX_CHARS} characters are read.")
    lm = shipped_lm("rnn")
    odd = next(ch for ch in "☃漢ж" if ch not in lm.chars)
    frames = run(sentence=f"a{odd}b")
    assert len(frames) == 2 and "Left out, never in the training text" in frames[0].caption
