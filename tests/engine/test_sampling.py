"""Sampling: temperature, top-k, top-p, seeds."""
import numpy as np
import pytest

from engine.language_models import build_lm
from engine.sampling import next_token_distribution, sample, sampling_distribution

P = np.array([0.1, 0.4, 0.2, 0.3])


def test_temperature_zero_is_the_argmax():
    np.testing.assert_array_equal(sampling_distribution(P, 0), [0, 1, 0, 0])


def test_temperature_sharpens_and_flattens():
    cold, warm = sampling_distribution(P, 0.5), sampling_distribution(P, 2.0)
    np.testing.assert_allclose(cold, P ** 2 / (P ** 2).sum())
    assert cold.max() > P.max() > warm.max()
    np.testing.assert_allclose(sampling_distribution(P, 1.0), P)


def test_top_k_and_top_p_keep_the_most_likely_and_renormalise():
    np.testing.assert_allclose(sampling_distribution(P, 1.0, top_k=2), [0, 4 / 7, 0, 3 / 7])
    np.testing.assert_allclose(sampling_distribution(P, 1.0, top_p=0.7), [0, 4 / 7, 0, 3 / 7])
    np.testing.assert_allclose(sampling_distribution(P, 1.0, top_p=0.71), [0, 4 / 9, 2 / 9, 3 / 9])
    np.testing.assert_allclose(sampling_distribution(P, 1.0, top_p=0.01), [0, 1, 0, 0])


@pytest.mark.parametrize("bad", [dict(temperature=-1), dict(top_k=0), dict(top_p=0), dict(top_p=1.5)])
def test_bad_settings_are_refused(bad):
    with pytest.raises(ValueError):
        sampling_distribution(P, **{"temperature": 1.0, **bad})


@pytest.fixture(scope="module")
def model():
    return build_lm("gru", 12, "tiny", context=16, seed=3)


def test_greedy_ignores_the_seed_and_seeds_repeat(model):
    prefix = [1, 2, 3]
    assert np.array_equal(sample(model, prefix, 20, temperature=0, seed=1),
                          sample(model, prefix, 20, temperature=0, seed=2))
    a = sample(model, prefix, 30, temperature=1.5, seed=7)
    assert np.array_equal(a, sample(model, prefix, 30, temperature=1.5, seed=7))
    assert not np.array_equal(a, sample(model, prefix, 30, temperature=1.5, seed=8))


def test_greedy_follows_the_next_token_distribution(model):
    out = sample(model, [4], 5, temperature=0)
    ids = [4]
    for token in out:
        assert token == np.argmax(next_token_distribution(model, ids))
        ids.append(int(token))


def test_top_k_one_is_greedy(model):
    assert np.array_equal(sample(model, [5], 15, temperature=1.0, top_k=1, seed=4),
                          sample(model, [5], 15, temperature=0))


def test_draws_follow_the_distribution():
    class Fixed:
        def start(self, prefix):
            return np.log(P), None

        def advance(self, state, token):
            return np.log(P), None
    draws = sample(Fixed(), [0], 4000, temperature=1.0, seed=0)
    np.testing.assert_allclose(np.bincount(draws, minlength=4) / 4000, P, atol=0.03)
