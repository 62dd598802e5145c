"""The shipped induction model: a previous-token head and an induction head, named by
their scores on held-out sequences, and a repeated half it predicts far better than the first."""
import numpy as np
import pytest

from engine.recipes import induction


@pytest.fixture(scope="module")
def shipped():
    return induction.load_induction()


def test_scores_on_hand_made_patterns():
    T, L = 8, 4
    prev = np.zeros((T, T))
    prev[0, 0] = 1
    prev[np.arange(1, T), np.arange(T - 1)] = 1
    assert induction.previous_token_score(prev) == 1
    ind = np.eye(T)
    ind[np.arange(L, T)] = 0
    ind[np.arange(L, T), np.arange(L, T) - L + 1] = 1
    assert induction.induction_score(ind, L) == 1
    assert induction.induction_score(prev, L) == 0 and induction.previous_token_score(np.eye(T)) == 0


def test_repeated_sequences_repeat_a_segment_of_distinct_symbols():
    ids = induction.repeated_batch(20, 9, seed=1)
    assert ids.shape == (18, 20)
    assert np.array_equal(ids[:9], ids[9:])
    assert all(len(set(col)) == 9 for col in ids[:9].T)


def test_the_named_heads_reach_their_bars(shipped):
    prev, ind = induction.head_scores(shipped.model)
    assert prev[shipped.previous_token] >= induction.SCORE_BAR
    assert ind[shipped.induction] >= induction.SCORE_BAR
    assert shipped.previous_token[0] == 0 and shipped.induction[0] == 1  # the two-layer circuit
    named = induction.name_heads(shipped.model)
    assert (named["induction"]["layer"], named["induction"]["head"]) == shipped.induction


def test_repeated_half_is_predicted_far_better(shipped):
    first, second = induction.half_losses(shipped.model)
    assert first > 0.9 * np.log(induction.VOCAB - induction.MAX_L)  # the first half is unpredictable
    assert second <= induction.LOSS_RATIO_BAR * first


def test_untrained_model_has_neither_head():
    raw = induction.untrained_induction(seed=1)
    prev, ind = induction.head_scores(raw)
    assert prev.max() < 0.5 and ind.max() < 0.5


def test_attention_maps_of_one_sequence(shipped):
    ids = induction.repeated_sequence(10, seed=4)
    maps = induction.attention_maps(shipped.model, ids)
    assert maps.shape == (2, 2, 20, 20)
    np.testing.assert_allclose(maps.sum(-1), 1)
    layer, head = shipped.induction
    assert induction.induction_score(maps[layer, head, :-1, :-1], 10) > 0.5
