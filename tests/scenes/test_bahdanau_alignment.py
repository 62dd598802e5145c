"""bahdanau_alignment: the shipped RNN encoder–decoder's α, one decoded word per frame."""
import numpy as np

import engine
from engine.decode import greedy_decode
from engine.recipes.phrases import load_phrase_model
from engine.recipes.toy_tasks import attention_grid
from engine.seq_tasks import BOS, UNK
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


def run(**params):
    return list(SCENES["bahdanau_alignment"].frames(params))


def engine_alignment(phrase: str):
    """Greedy translation and teacher-forced α, straight from the engine."""
    model, phrases, _ = load_phrase_model()
    src = phrases.encode_src(phrase)
    out = greedy_decode(model.next_token_log_probs(src[:, None]), 1, len(src) + 4).sequences()[0]
    _, cache = model.forward(src[:, None], np.array([BOS, *out])[:, None])
    return [phrases.tgt_vocab.tokens[i] for i in out], cache.weights[0], src, out, model


def test_frames_are_the_engines_alignment_one_row_at_a_time():
    words, alpha, src, out, model = engine_alignment("I love you very much")
    assert words == ["ti", "amo", "molto"]
    np.testing.assert_array_equal(alpha, attention_grid(model, src, np.array(out)))
    frames = run(phrase="I love you very much")
    assert len(frames) == 3
    for t, frame in enumerate(frames):
        (grid,) = frame.panels
        assert grid.row_labels == ("ti", "amo", "molto")
        assert grid.col_labels == ("I", "love", "you", "very", "much")
        assert grid.palette == "sequential" and (grid.vmin, grid.vmax) == (0.0, 1.0)
        assert grid.mark_row == t and np.isnan(grid.values[t + 1:]).all()
        np.testing.assert_allclose(grid.values[: t + 1], alpha[: t + 1], rtol=0, atol=1e-12)
        assert words[t] in frame.caption
        assert_frozen(frame)
        render_frame(frame)
    final = frames[-1].panels[0].values
    np.testing.assert_allclose(final.sum(axis=1), 1.0, atol=1e-12)
    cols = ("I", "love", "you", "very", "much")
    for w, row in zip(words, alpha):
        j = int(row.argmax())
        assert f"{w!r} → {cols[j]!r} {row[j]:.2f}" in frames[-1].caption
    assert "'amo' → 'love'" in frames[-1].caption  # the lesson's reading of the grid
    assert "'ti amo molto'" in frames[-1].caption and "training pair" in frames[-1].caption


def test_unknown_words_are_named_and_read_as_unk():
    phrase = "I love zzz [/] you"
    frames = run(phrase=phrase)
    words, alpha, src, _, _ = engine_alignment(phrase)
    assert src[2] == UNK and src[3] == UNK
    grid = frames[-1].panels[0]
    assert grid.col_labels == ("I", "love", "zzz?", "[?", "/?", "]?", "you")
    np.testing.assert_allclose(grid.values, alpha[: len(words)], atol=1e-12)
    caption = frames[-1].caption
    assert "'zzz'" in caption and "<unk>" in caption and "'/'" in caption
    assert "zzz?" in render_frame(frames[-1])  # learner text is data, drawn as typed


def test_case_does_not_matter():
    assert run(phrase="i LOVE you VERY much")[-1].panels[0].row_labels == ("ti", "amo", "molto")


def test_edge_cases():
    empty = run(phrase="   ")
    assert len(empty) == 1 and empty[0].panels == () and "no words" in empty[0].caption
    one = run(phrase="love")
    grid = one[-1].panels[0]
    assert grid.shape[1] == 1
    np.testing.assert_allclose(grid.values, 1.0)
    long = run(phrase="I love you " * 30)
    grid = long[-1].panels[0]
    assert grid.shape[1] == engine.MAX_TOKENS and "Only the first 64" in long[-1].caption
    assert grid.shape[0] <= engine.MAX_TOKENS + 4
    for frame in (one[-1], long[-1], empty[0]):
        render_frame(frame)


def test_an_empty_translation_shows_the_eos_step(monkeypatch):
    from tutor.scenes import translation_common
    from tutor.scenes.translation_common import Translation
    monkeypatch.setattr(translation_common, "translate", lambda model, phrases, ids: Translation((), (), True, len(ids) + 4))
    (frame,) = run(phrase="I love you")
    (grid,) = frame.panels
    assert grid.row_labels == ("<eos>",) and "wrote nothing" in frame.caption
    model, phrases, _ = load_phrase_model()
    src = phrases.encode_src("I love you")
    _, cache = model.forward(src[:, None], np.array([[BOS]]))
    np.testing.assert_allclose(grid.values, cache.weights[0], atol=1e-12)
    render_frame(frame)


def test_untrained_is_the_same_model_with_seeded_random_weights():
    from engine.recipes.phrases import load_phrase_model
    from engine.seq2seq import Seq2SeqAttention
    from tutor.scenes.bahdanau_alignment import run
    from tutor.scenes.translation_common import cross_weights, translate

    shipped, phrases, _ = load_phrase_model()
    fresh = Seq2SeqAttention(shipped.config, seed=5)
    p, tr, alpha, _ = run("I love you", "untrained", 5)
    want = translate(fresh, phrases, p.ids)
    assert tr == want
    np.testing.assert_allclose(alpha, cross_weights(fresh, p.ids, want.ids)[0])
    frames = list(SCENES["bahdanau_alignment"].frames({"phrase": "I love you", "model": "untrained", "seed": 5}))
    assert "Untrained: the same model with random weights (seed 5)" in frames[-1].caption
    assert "training pair" not in frames[-1].caption
    assert SCENES["bahdanau_alignment"].defaults()["model"] == "trained"
