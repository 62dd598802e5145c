"""Interpretable cells: features of the text, correlations, and the shipped LSTM's best cells
measured on held-out text."""
import numpy as np
import pytest

from engine.charlm import Corpus, load_corpus
from engine.lm_cells import RunningCorrelation, correlations, feature_values, find_cell
from engine.recipes import language_models as lm


def test_features():
    text = 'a "b (c" (d\ne(f)) g'
    np.testing.assert_array_equal(feature_values(text, "quotes"),
                                  [0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(feature_values(text, "brackets"),
                                  [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 2, 1, 1])
    np.testing.assert_array_equal(feature_values("ab\ncd", "line"), [0, 1, 2, 0, 1])
    with pytest.raises(ValueError, match="unknown feature"):
        feature_values("abc", "vowels")


def test_correlations_per_column():
    f = np.array([0.0, 1, 2, 3])
    states = np.stack([f, -2 * f, np.ones(4), np.array([1.0, 0, 1, 0])], axis=1)
    np.testing.assert_allclose(correlations(states, f), [1, -1, 0, -0.4472135955], atol=1e-9)


def test_correlations_fed_in_chunks_equal_the_whole_texts():
    rng = np.random.default_rng(3)
    f = np.cumsum(rng.normal(size=2500)) + 40.0           # a drifting feature far from 0
    states = np.stack([f * 0.01 + rng.normal(size=2500) * k for k in (0.1, 1.0, 10.0)], axis=1) + 5.0
    states = np.concatenate([states, np.ones((2500, 1))], axis=1)     # a constant column: r = 0
    running = RunningCorrelation(states.shape[1])
    for lo, hi in ((0, 1), (1, 700), (700, 700), (700, 1724), (1724, 2500)):
        running.add(states[lo:hi], f[lo:hi])
    np.testing.assert_allclose(running.value(), correlations(states, f), rtol=1e-10, atol=1e-12)
    assert running.value()[-1] == 0.0


def test_state_chunks_carry_the_state_across_chunks():
    from engine.language_models import STATES_CHUNK
    model, vocab, _ = lm.load("lstm")
    ids = vocab.encode(load_corpus()[:STATES_CHUNK + 300])
    whole = model.hidden_states(ids, which=("c",))["c"]
    chunks = [chunk["c"] for chunk in model.state_chunks(ids, which=("c",))]
    assert [len(c) for c in chunks] == [STATES_CHUNK, 300]
    np.testing.assert_array_equal(np.concatenate(chunks), whole)
    logits, cache = model.forward(np.asarray(ids).reshape(-1, 1))
    np.testing.assert_allclose(whole, cache.rnn.cs[:, 0], atol=1e-5)


# Measured on the shipped lm_lstm: chosen on the last 30,000 training characters,
# measured on the held-out tenth (quotes −0.38, line position −0.38 when written).
BARS = {"quotes": 0.3, "line": 0.3}


@pytest.mark.parametrize("feature", sorted(BARS))
def test_the_shipped_lstm_has_a_cell_that_tracks_the_feature_on_held_out_text(feature):
    model, vocab, _ = lm.load("lstm")
    corpus = Corpus.from_text(load_corpus(), vocab=vocab)
    select, measure = vocab.decode(corpus.train[-30_000:]), vocab.decode(corpus.heldout)
    found = find_cell(model, vocab, feature, select, measure)
    assert abs(found.correlation) >= BARS[feature]
    assert np.sign(found.correlation) == np.sign(found.select_correlation)
    assert found.activations.shape == found.feature_values.shape == (len(measure),)
    # an untrained LSTM of the same shape has no such cell
    from engine.language_models import from_config
    untrained = from_config(model.config)
    blind = find_cell(untrained, vocab, feature, select, measure)
    assert abs(blind.correlation) < abs(found.correlation) - 0.1
