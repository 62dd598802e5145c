"""Interpretable cells: features of the text, correlations, and the shipped LSTM's best cells
measured on held-out text."""
import numpy as np
import pytest

from engine.charlm import Corpus, load_corpus
from engine.lm_cells import correlations, feature_values, find_cell
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
