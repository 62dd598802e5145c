"""multi_head: every head of one layer of the coreference model (trained, or untrained with any head count)."""
import numpy as np
import pytest

import engine
from engine.recipes.coreference import coreference_attention, load_coreference, untrained_coreference
from tutor.frames import Grid, Row, Table
from tutor.scenes.coreference_view import model_for
from tutor.scenes.registry import ANIMAL, SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["multi_head"].frames(params))


def grids(frame):
    *rows, table = frame.panels
    assert all(isinstance(r, Row) and 1 <= len(r.panels) <= 2 for r in rows) and isinstance(table, Table)
    return [g for r in rows for g in r.panels], table


def test_trained_shows_the_layer_of_the_coreference_head():
    coref = load_coreference()
    tokens, w = coreference_attention(coref, ANIMAL)
    frames = run()
    H = coref.model.config.nhead
    assert len(frames) == H
    shown, table = grids(frames[-1])
    assert len(shown) == H and len(table.rows) == H
    for h, g in enumerate(shown):
        np.testing.assert_allclose(g.values, w[coref.layer, h], rtol=1e-12)
        assert g.title == f"layer {coref.layer + 1} · head {h + 1}"
    it = tokens.index("it")
    looked = tokens[int(np.argmax(w[coref.layer, coref.head, it]))]
    assert looked == "animal"
    assert table.rows[coref.head][2] == f"animal {w[coref.layer, coref.head, it].max():.2f}"
    assert f"head {coref.head + 1} → 'animal'" in frames[-1].caption
    assert f"Head {coref.head + 1} resolves 'it'" in frames[-1].caption


@pytest.mark.parametrize("heads", range(1, 9))
def test_untrained_heads_match_the_engine(heads):
    tokens = engine.tokenize(ANIMAL)
    frames = run(heads=heads, model="untrained", seed=1)
    assert len(frames) == heads
    coref = model_for("untrained", 1, heads)
    w = coref.model.attention(coref.vocab.encode(tokens))[-1]
    shown, table = grids(frames[-1])
    assert len(shown) == heads and all(isinstance(g, Grid) for g in shown)
    for h, g in enumerate(shown):
        np.testing.assert_array_equal(g.values, w[h])
        np.testing.assert_allclose(g.values.sum(axis=1), 1.0, atol=1e-12)
        assert g.row_labels == g.col_labels == tuple(tokens) and g.title == f"untrained L2 · head {h + 1}"
    assert len(table.rows) == heads and "Untrained" in frames[-1].caption
    for f in frames:
        assert_frozen(f)
        render_frame(f)


def test_untrained_with_the_trained_head_count_is_the_untrained_coreference_model():
    coref = untrained_coreference(3)
    _, w = coreference_attention(coref, ANIMAL)
    shown, _ = grids(run(model="untrained", seed=3, heads=coref.model.config.nhead)[-1])
    for h, g in enumerate(shown):
        np.testing.assert_array_equal(g.values, w[-1, h])


def test_each_heads_strongest_pair_is_named_in_its_frame_and_the_table():
    frames = run(heads=2, model="untrained", seed=0)
    tokens = engine.tokenize(ANIMAL)
    shown, table = grids(frames[-1])
    for h, g in enumerate(shown):
        w = g.values
        off = np.where(np.eye(len(tokens), dtype=bool), -1, w)
        i, j = np.unravel_index(np.argmax(off), off.shape)
        assert table.rows[h][1] == f"{tokens[i]} → {tokens[j]} {w[i, j]:.2f}"
        if h < len(frames) - 1:
            assert f"{tokens[i]!r} → {tokens[j]!r} at {w[i, j]:.2f}" in frames[h].caption


def test_edge_cases():
    assert run(sentence="")[0].panels == ()
    one = run(sentence="it", heads=3, model="untrained")
    np.testing.assert_allclose(one[-1].panels[0].panels[0].values, [[1.0]])
    long = run(sentence="w " * 99)
    assert "Only the first" in long[-1].caption
    for f in (one[-1], long[-1]):
        render_frame(f)
