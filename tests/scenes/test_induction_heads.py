"""induction_heads: the induction model's previous-token and induction heads, scored by the engine."""
import numpy as np
import pytest

from engine.recipes import induction as rec
from tutor.frames import Grid, Row
from tutor.scenes.induction_heads import SYMBOLS
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["induction_heads"].frames(params))


def grids(frame):
    return [g for p in frame.panels for g in (p.panels if isinstance(p, Row) else (p,))]


def test_the_length_control_spans_the_trained_lengths():
    p = SCENES["induction_heads"].param("length")
    assert (p.min, p.max) == (rec.MIN_L, rec.MAX_L)
    assert SCENES["induction_heads"].defaults()["model"] == "trained"


@pytest.mark.parametrize("model", ["trained", "untrained"])
def test_grids_are_the_named_heads_titled_by_their_held_out_scores(model):
    trained = rec.load_induction()
    net = trained.model if model == "trained" else rec.untrained_induction(4)
    ids = rec.repeated_sequence(6, 3)
    w = rec.attention_maps(net, ids)
    prev, ind = rec.head_scores(net)
    frames = run(length=6, sequence=3, model=model, seed=4)
    assert isinstance(frames[-1].panels[0], Row)                 # 12 tokens: side by side
    a, b = grids(frames[-1])
    np.testing.assert_allclose(a.values, w[trained.previous_token], rtol=1e-12)
    np.testing.assert_allclose(b.values, w[trained.induction], rtol=1e-12)
    assert a.row_labels == a.col_labels == tuple(SYMBOLS[i] for i in ids)
    assert a.title == f"previous token · {prev[trained.previous_token]:.2f}"
    assert b.title == f"induction · {ind[trained.induction]:.2f}"
    assert frames[-1].caption.startswith("Untrained") == (model == "untrained")
    here = rec.induction_score(w[trained.induction], 6)
    first, second = rec.half_losses(net)
    cap = frames[-1].caption
    assert f"after the earlier copy: {here:.2f} here, {ind[trained.induction]:.2f} held out" in cap
    assert f"Loss {second:.2f} on the repeat, {first:.2f} on the first half" in cap
    for f in frames:
        assert_frozen(f)
        render_frame(f)


def test_rows_fill_in_from_the_segment_to_its_repeat():
    frames = run(length=7)
    shown = [int(np.isfinite(grids(f)[0].values[:, 0]).sum()) for f in frames]
    assert shown[0] == 7 and shown[-1] == 14 and shown == sorted(shown)
    assert all(isinstance(p, Grid) for p in run(length=14)[-1].panels)   # 28 tokens: one grid a line


def test_trained_heads_beat_untrained():
    t = run()[-1].panels[0].panels
    u = run(model="untrained")[-1].panels[0].panels
    for tg, ug in zip(t, u):
        assert float(tg.title.split("· ")[1]) > float(ug.title.split("· ")[1])
