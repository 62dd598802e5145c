"""interpretable_cell: the engine's cell finder on the shipped LSTM, drawn per character of held-out text."""
import numpy as np
import pytest

from engine.charlm import CharVocab, load_corpus
from engine.lm_cells import find_cell
from engine.recipes.language_models import shipped_corpus
from tutor.frames import Grid
from tutor.scenes import interpretable_cell as ic
from tutor.scenes.lm_weights import shipped_lm
from tutor.scenes.registry import SCENES

from .test_attention_common import render_frame


def test_chosen_on_training_text_and_measured_on_held_out_text():
    select, measure = ic.texts()
    corpus, raw = shipped_corpus(), load_corpus()
    assert select == raw[len(corpus.train) - ic.SELECT:len(corpus.train)]       # the end of the training text
    assert measure == raw[len(corpus.train):len(corpus.train) + ic.MEASURE]     # held out: never trained on


@pytest.mark.parametrize("feature", ["quotes", "line"])
def test_the_frame_is_the_engines_finding(feature):
    lm = shipped_lm("lstm")
    select, measure = ic.texts()
    found = find_cell(lm.model, CharVocab(lm.chars), feature, select, measure)
    frame = list(SCENES["interpretable_cell"].frames({"feature": feature}))[-1]
    grids = [p for p in frame.panels if isinstance(p, Grid)]
    assert len(grids) == ic.ROWS and all(g.shape == (1, ic.WIDTH) for g in grids)
    assert grids[0].row_labels == (f"c[{found.cell}]",)
    start = ic.passage_start(measure, feature)
    for row, grid in enumerate(grids):
        lo = start + row * ic.WIDTH
        np.testing.assert_allclose(grid.values[0], found.activations[lo:lo + ic.WIDTH])
        assert "".join(grid.col_labels).replace("␣", " ").replace("↵", "\n") == measure[lo:lo + ic.WIDTH]
    assert ic.MARKS[feature] in measure[start:start + ic.ROWS * ic.WIDTH]
    assert f"cell {found.cell} follows {ic.FEATURES[feature]} best" in frame.caption
    assert f"it keeps r = {found.correlation:+.2f} on {ic.MEASURE:,} held-out" in frame.caption
    assert not grids[0].values.flags.writeable
    render_frame(frame)


def test_the_untrained_twin_is_the_contrast():
    trained = list(SCENES["interpretable_cell"].frames({"model": "trained"}))[-1]
    untrained = list(SCENES["interpretable_cell"].frames({"model": "untrained"}))[-1]
    r_untrained = ic.finding("quotes", False).correlation
    assert f"The untrained LSTM's best cell, chosen the same way: r = {r_untrained:+.2f}." in trained.caption
    assert "cells of the untrained LSTM" in untrained.caption
    assert untrained.panels[0].title.startswith("untrained LSTM cell")
