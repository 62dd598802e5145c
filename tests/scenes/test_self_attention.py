"""self_attention: one head of the coreference model, trained or untrained, row by row, from the engine's numbers."""
import numpy as np
import pytest

import engine
from engine.recipes.coreference import coreference_attention, load_coreference, resolve, untrained_coreference
from tutor.scenes.registry import ANIMAL, SCENES

from .test_attention_common import assert_frozen, render_frame

WIDE = ANIMAL.replace("tired", "wide")


def run(**params):
    return list(SCENES["self_attention"].frames(params))


def test_trained_is_the_default_where_the_lesson_claims_learning():
    assert SCENES["self_attention"].defaults()["model"] == "trained"
    assert SCENES["self_attention"].param("model").choices == ("trained", "untrained")


@pytest.mark.parametrize("model", ["trained", "untrained"])
def test_rows_fill_in_one_by_one_with_the_engines_weights(model):
    coref = load_coreference() if model == "trained" else untrained_coreference(2)
    tokens, w = coreference_attention(coref, ANIMAL)
    w = w[coref.layer, coref.head]
    frames = run(model=model, seed=2)
    T = len(tokens)
    assert len(frames) == T + 1
    for t, f in enumerate(frames[:T]):
        (grid,) = f.panels
        np.testing.assert_allclose(grid.values[: t + 1], w[: t + 1], rtol=1e-12)
        assert np.isnan(grid.values[t + 1:]).all() and grid.mark_row == t
        assert_frozen(f)
    final = frames[-1].panels[0]
    np.testing.assert_allclose(final.values, w, rtol=1e-12)
    np.testing.assert_allclose(final.values.sum(axis=1), 1.0, atol=1e-12)
    assert final.row_labels == final.col_labels == tuple(tokens)
    assert (final.vmin, final.vmax, final.palette) == (0.0, 1.0, "sequential")
    assert final.mark_row == tokens.index("it")
    assert final.title.startswith("untrained") == (model == "untrained")
    assert f"layer {coref.layer + 1} · head {coref.head + 1}" in final.title
    for f in frames:
        render_frame(f)


def test_trained_row_of_it_flips_from_animal_to_street():
    for sentence, noun in ((ANIMAL, "animal"), (WIDE, "street")):
        frame = run(sentence=sentence)[-1]
        tokens = list(frame.panels[0].row_labels)
        row = frame.panels[0].values[tokens.index("it")]
        assert tokens[int(np.argmax(row))] == noun
        assert f"attends most to {noun!r} {row.max():.2f}" in frame.caption
        assert f"the model names {noun!r}" in frame.caption
    coref = load_coreference()
    rates = coref.meta["results"]["hit_rate"].values()
    assert f"{min(rates):.0%}–{max(rates):.0%}" in frame.caption and "held-out" in frame.caption


def test_untrained_caption_says_what_it_is_and_names_the_engines_top_keys():
    frames = run(model="untrained", seed=0)
    coref = untrained_coreference(0)
    tokens, w = coreference_attention(coref, ANIMAL)
    it = tokens.index("it")
    row = w[coref.layer, coref.head, it]
    caption = frames[-1].caption
    assert "Untrained" in caption and "seed 0" in caption
    for j in np.argsort(-row)[:3]:
        assert f"{tokens[j]!r} {row[j]:.2f}" in caption
    assert f"the model names {resolve(coref, ANIMAL)[it]!r}" in caption


def test_unknown_words_are_said():
    caption = run(sentence="The cat that the dog chased was black")[-1].caption
    assert "read as <unk>: 'that', 'chased', 'black'" in caption


def test_edge_cases_are_data():
    assert run(sentence="")[0].panels == ()
    one = run(sentence="it")
    np.testing.assert_allclose(one[-1].panels[0].values, [[1.0]])
    long = run(sentence="a b " * 50)
    assert long[-1].panels[0].shape == (engine.MAX_TOKENS, engine.MAX_TOKENS) and "Only the first" in long[-1].caption
    odd = run(sentence="[/] [@click=app.quit]x[/] [b]", model="untrained")
    for f in (one[-1], long[-1], odd[-1]):
        render_frame(f)


def test_a_sentence_without_it_is_not_described_as_resolving_it():
    caption = run(sentence="The cat that the dog chased was black")[-1].caption
    assert "held-out" not in caption and "with no 'it' here" in caption
