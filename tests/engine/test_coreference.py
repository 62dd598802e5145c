"""The shipped coreference model resolves "it" on held-out sentences, and its shown head's row says so."""
import numpy as np
import pytest

from engine.recipes import coreference as coref_recipe
from engine.recipes import coreference_data as data
from engine.recipes.coreference import (coreference_attention, hit_rates, load_coreference, resolve,
                                        untrained_coreference)

LESSON = "The animal didn't cross the street because it was {}"


@pytest.fixture(scope="module")
def coref():
    return load_coreference()


def test_held_out_sentences_pair_referents_and_adjectives_never_trained_together():
    train = data.sample(2000, 5, "train")
    held = coref_recipe.held_out_set()
    pair = lambda s: (s.tokens[s.referent], s.tokens[s.pronoun + 2 + (s.tokens[s.pronoun + 2] in ("too", "so"))])
    assert {pair(s) for s in held}.isdisjoint({pair(s) for s in train})
    assert all(data.held_out(*pair(s)) for s in held)
    assert {("animal", "tired"), ("street", "wide")} <= {pair(s) for s in held} | data.LESSON_PAIRS
    assert not any(data.held_out(*pair(s)) for s in train)


def test_the_shown_head_finds_the_referent_in_each_adjective_class_and_noun_order(coref):
    cells = hit_rates(coref.model, coref.vocab, coref_recipe.held_out_set())
    assert len(cells) == 4
    for cell, rates in cells.items():
        assert rates[coref.layer, coref.head] >= 0.9, (cell, rates)
    assert (coref.layer, coref.head) == coref_recipe.choose_head(coref.model, coref.vocab)


def test_the_model_names_the_referent_on_held_out_sentences(coref):
    assert coref_recipe.referent_accuracy(coref.model, coref.vocab, coref_recipe.held_out_set()) >= 0.95


@pytest.mark.parametrize("adjective, referent", [("tired", "animal"), ("wide", "street")])
def test_lesson_sentence_flips_the_row_of_it(coref, adjective, referent):
    tokens, weights = coreference_attention(coref, LESSON.format(adjective))
    row = weights[coref.layer, coref.head, tokens.index("it")]
    assert tokens[int(row.argmax())] == referent
    np.testing.assert_allclose(weights.sum(-1), 1)
    assert resolve(coref, LESSON.format(adjective)) == {7: referent}


def test_untrained_model_does_not_resolve(coref):
    raw = untrained_coreference(seed=0)
    cells = hit_rates(raw.model, raw.vocab, coref_recipe.held_out_set(200))
    assert max(float(r.max()) for r in cells.values()) < 0.9
    assert min(float(r[raw.layer, raw.head]) for r in cells.values()) < 0.5


def test_any_learner_sentence_is_handled(coref):
    tokens, weights = coreference_attention(coref, "The elephant didn't cross the boulevard because it was tired")
    assert weights.shape == (2, 2, 10, 10) and np.isfinite(weights).all()
    assert tokens[int(weights[coref.layer, coref.head, 7].argmax())] == "elephant"  # an <unk> noun, by its role
    empty_tokens, empty = coreference_attention(coref, "")
    assert empty_tokens == [] and empty.shape == (2, 2, 0, 0)
    long_tokens, w = coreference_attention(coref, "word " * 200)
    assert len(long_tokens) == 64 and w.shape[-1] == 64
    assert resolve(coref, "no pronoun here") == {}
