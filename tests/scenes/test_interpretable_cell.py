"""interpretable_cell: a cell chosen by measured correlation on one part of held-out text, scored on the next."""
import numpy as np
import pytest

from tutor.frames import Grid
from tutor.scenes import interpretable_cell as ic
from tutor.scenes.lm_weights import shipped_lm
from tutor.scenes.registry import SCENES

from .test_attention_common import render_frame


def test_features():
    assert ic.feature_values('a "bc" d', "quotes").tolist() == [0, 0, 1, 1, 1, 0, 0, 0]
    assert ic.feature_values("ab\ncd", "line_position").tolist() == [1, 2, 0, 1, 2]
    assert ic.feature_values("(a(b))c)", "brackets").tolist() == [1, 1, 2, 2, 1, 0, 0, 0]
    with pytest.raises(ValueError):
        ic.feature_values("x", "colour")


def test_correlations_are_pearson():
    rng = np.random.default_rng(0)
    cells, values = rng.standard_normal((50, 4)), rng.standard_normal(50)
    cells[:, 2] = 3 * values + 1
    r = ic.correlations(cells, values)
    np.testing.assert_allclose(r, [np.corrcoef(cells[:, j], values)[0, 1] for j in range(4)])
    assert r[2] == pytest.approx(1.0)
    assert ic.correlations(np.ones((5, 2)), np.arange(5.0)).tolist() == [0.0, 0.0]   # constant: no signal


@pytest.mark.parametrize("feature", ["quotes", "line_position"])
def test_the_cell_is_chosen_on_one_part_and_measured_on_the_next(feature):
    lm = shipped_lm("lstm")
    text = ic.heldout_text()[:2 * ic.PART]
    found = ic.find_cell(lm.model, lm.chars, text, feature)
    values = ic.feature_values(text, feature)
    c = found.cells
    choose = [abs(np.corrcoef(c[:ic.PART, j], values[:ic.PART])[0, 1]) if c[:ic.PART, j].std() else 0
              for j in range(c.shape[1])]
    assert found.cell == int(np.argmax(choose))
    assert found.r_test == pytest.approx(np.corrcoef(c[ic.PART:, found.cell], values[ic.PART:])[0, 1])
    frame = list(SCENES["interpretable_cell"].frames({"feature": feature}))[-1]
    grids = [p for p in frame.panels if isinstance(p, Grid)]
    assert len(grids) == ic.ROWS and all(g.shape == (1, ic.WIDTH) for g in grids)
    start = ic.passage_start(text, feature)
    np.testing.assert_allclose(grids[0].values[0], c[start:start + ic.WIDTH, found.cell])
    assert "".join(grids[0].col_labels).replace("␣", " ").replace("↵", "\n") == text[start:start + ic.WIDTH]
    assert start >= ic.PART                                   # the passage shown is from the measured part
    assert f"cell {found.cell} follows {ic.FEATURES[feature]} best" in frame.caption
    assert f"it keeps r = {found.r_test:+.2f}" in frame.caption
    render_frame(frame)


def test_the_untrained_twin_is_the_contrast():
    trained = list(SCENES["interpretable_cell"].frames({"model": "trained"}))[-1].caption
    untrained = list(SCENES["interpretable_cell"].frames({"model": "untrained"}))[-1].caption
    assert trained.startswith("Of the") and "untrained LSTM's best cell" in trained
    assert "Of the" in untrained and "cells of the untrained LSTM" in untrained
