"""positional_encoding: the engine's PE matrix and the cosine similarity of its rows."""
import math

import numpy as np
import pytest

import engine
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["positional_encoding"].frames(params))


def test_both_views_show_engine_values():
    frames = run(length=16, d_model=16, view="both")
    pe = engine.positional_encoding(16, 16)
    matrix, similarity = frames[-1].panels
    np.testing.assert_array_equal(matrix.values, pe)
    norms = np.linalg.norm(pe, axis=1)
    np.testing.assert_allclose(similarity.values, pe @ pe.T / np.outer(norms, norms), atol=1e-12)
    np.testing.assert_allclose(np.diag(similarity.values), 1.0)
    assert matrix.shape == (16, 16) and similarity.shape == (16, 16)
    assert (matrix.vmin, matrix.vmax, matrix.palette) == (-1.0, 1.0, "diverging")
    # the matrix is revealed a few dimensions at a time, then the similarity row by row
    first = frames[0].panels[0]
    assert np.isnan(first.values[:, -1]).all() and not np.isnan(first.values[:, 0]).any()
    for f in frames:
        assert_frozen(f)
        render_frame(f)


def test_big_grids_show_every_kth_position_and_pair_with_their_numbers():
    frames = run(length=64, d_model=64, view="both")
    pe = engine.positional_encoding(64, 64)
    matrix, similarity = frames[-1].panels
    assert matrix.shape == (16, 32) and similarity.shape == (16, 16)          # whole on an 80×24 screen
    assert matrix.row_labels == tuple(str(p) for p in range(0, 64, 4))
    assert matrix.col_labels[:4] == ("0", "1", "4", "5")                      # sin and cos of one pair stay together
    np.testing.assert_array_equal(matrix.values, pe[np.ix_(range(0, 64, 4), [d for i in range(0, 32, 2)
                                                                               for d in (2 * i, 2 * i + 1)])])
    np.testing.assert_allclose(np.diag(similarity.values), 1.0)
    assert "one position in 4 of 64" in frames[-1].caption
    assert "one sin/cos pair in 2 of 64 dimensions" in frames[-1].caption
    assert frames[0].panels[0].mark_col is not None and frames[-1].panels[0].mark_col is None
    small = run(length=16, d_model=32, view="both")[-1]
    assert "Shown:" not in small.caption and small.panels[0].shape == (16, 32)


def test_caption_works_one_value_by_the_formula():
    frames = run(length=32, d_model=32, view="matrix")
    pe = engine.positional_encoding(32, 32)
    assert f"= {pe[5, 2]:+.4f}" in frames[0].caption
    assert f"{math.sin(5 / 10000 ** (2 / 32)):+.4f}" in frames[0].caption
    assert all(len(f.panels) == 1 for f in frames)


def test_similarity_view_alone():
    frames = run(length=10, d_model=8, view="similarity")
    assert all(len(f.panels) == 1 and f.panels[0].shape == (10, 10) for f in frames)
    sim = frames[-1].panels[0].values
    assert f"{sim[0, 1]:+.3f}" in frames[-1].caption


@pytest.mark.parametrize("length,d_model", [(2, 4), (3, 5), (128, 256)])
def test_extremes(length, d_model):
    for view in ("matrix", "similarity", "both"):
        frames = run(length=length, d_model=d_model, view=view)
        assert frames and all(np.isfinite(g.values[~np.isnan(g.values)]).all() for g in frames[-1].panels)
    render_frame(frames[-1])
