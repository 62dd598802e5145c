"""cross_attention: the phrase Transformer's decoder cross-attention, per head and averaged."""
import numpy as np

from engine.decode import greedy_decode
from engine.recipes.phrases import load_phrase_transformer
from engine.recipes.toy_tasks import attention_grid
from engine.seq_tasks import BOS
from tutor.frames import Grid, Row
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["cross_attention"].frames(params))


def engine_cross(phrase: str):
    model, phrases, _ = load_phrase_transformer()
    src = phrases.encode_src(phrase)[: model.config.max_len]
    out = greedy_decode(model.next_token_log_probs(src[:, None]), 1,
                        min(len(src) + 4, model.config.max_len - 1)).sequences()[0]
    _, cache = model.forward(src[:, None], np.array([BOS, *out])[:, None])
    return [phrases.tgt_vocab.tokens[i] for i in out], cache.decoder.cross_weights[-1][0], src, out, model


def test_heads_and_mean_are_the_engines_cross_attention():
    words, weights, src, out, model = engine_cross("I love you very much")
    assert words == ["ti", "amo", "molto"] and weights.shape == (2, 4, 5)
    frames = run(phrase="I love you very much")
    assert len(frames) == 3
    for t, frame in enumerate(frames):
        row, mean = frame.panels
        assert isinstance(row, Row) and isinstance(mean, Grid)
        for h, grid in enumerate(row.panels):
            assert grid.shape == (3, 5)  # lessons/12: a row per Italian word, a column per English word
            assert grid.row_labels == ("ti", "amo", "molto") and grid.col_labels[0] == "I"
            np.testing.assert_allclose(grid.values[: t + 1], weights[h, : t + 1], atol=1e-12)
            assert np.isnan(grid.values[t + 1:]).all() and grid.mark_row == t
        np.testing.assert_allclose(mean.values[: t + 1], attention_grid(model, src, np.array(out))[: t + 1],
                                   atol=1e-12)
        assert_frozen(frame)
        for p in row.panels:
            assert not p.values.flags.writeable
        render_frame(frame)
    final = frames[-1]
    assert "3 × 5" in final.caption
    avg = weights[:, :3].mean(axis=0)
    cols = ("I", "love", "you", "very", "much")
    for w, r in zip(words, avg):
        j = int(np.argmax(r))
        assert f"{w!r} → {cols[j]!r} {r[j]:.2f}" in final.caption


def test_a_phrase_longer_than_the_models_positions_is_cut():
    frames = run(phrase="you " * 40)
    grid = frames[-1].panels[1]
    assert grid.shape[1] == 32 and "Only the first 32 of 40" in frames[-1].caption
    render_frame(frames[-1])


def test_edge_cases():
    empty = run(phrase="")
    assert len(empty) == 1 and empty[0].panels == ()
    odd = run(phrase="[bold]qq[/] ✓")
    assert "'qq'" in odd[-1].caption and "<unk>" in odd[-1].caption
    one = run(phrase="love")
    np.testing.assert_allclose(one[-1].panels[1].values, 1.0)
    for frame in (empty[0], odd[-1], one[-1]):
        render_frame(frame)


def test_an_empty_translation_shows_the_eos_step(monkeypatch):
    from tutor.scenes import translation_common
    from tutor.scenes.translation_common import Translation
    monkeypatch.setattr(translation_common, "translate", lambda model, phrases, ids: Translation((), (), True, len(ids) + 4))
    (frame,) = run(phrase="I love you")
    row, mean = frame.panels
    assert mean.row_labels == ("<eos>",) and "wrote nothing" in frame.caption
    model, phrases, _ = load_phrase_transformer()
    src = phrases.encode_src("I love you")
    _, cache = model.forward(src[:, None], np.array([[BOS]]))
    np.testing.assert_allclose(row.panels[0].values, cache.decoder.cross_weights[-1][0, 0], atol=1e-12)
    render_frame(frame)


def test_untrained_is_the_same_transformer_with_seeded_random_weights():
    from engine.recipes.phrases import load_phrase_transformer
    from engine.transformer import Transformer
    from tutor.scenes.cross_attention import run
    from tutor.scenes.translation_common import cross_weights, translate

    shipped, phrases, _ = load_phrase_transformer()
    fresh = Transformer(shipped.config, seed=2)
    p, tr, w, _ = run("I love you", "untrained", 2)
    want = translate(fresh, phrases, p.ids)
    assert tr == want
    np.testing.assert_allclose(w, cross_weights(fresh, p.ids, want.ids))
    frames = list(SCENES["cross_attention"].frames({"phrase": "I love you", "model": "untrained", "seed": 2}))
    assert "Untrained: the same model with random weights (seed 2)" in frames[-1].caption
    assert SCENES["cross_attention"].defaults()["model"] == "trained"
