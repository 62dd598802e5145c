"""Sentences into tokens and vectors: what every scene does first with what a learner types."""
import numpy as np
import pytest

from engine.tokens import Vocab, token_vectors, tokenize


@pytest.mark.parametrize("sentence,tokens", [
    ("The cat sat on the mat.", ["The", "cat", "sat", "on", "the", "mat", "."]),
    ("The animal didn't cross", ["The", "animal", "didn't", "cross"]),   # inner apostrophe kept
    ("rock’n’roll, again!", ["rock’n’roll", ",", "again", "!"]),
    ("[bold]x [/]", ["[", "bold", "]", "x", "[", "/", "]"]),            # markup is just symbols
    ("a\tb\nc\x00d\x1b[31m", ["a", "b", "c", "d", "[", "31m"]),        # control characters dropped
    ("cafe\u0301 café", ["café", "café"]),                              # NFC: one spelling
    ("", []), ("   ", []),
])
def test_tokenize(sentence, tokens):
    assert tokenize(sentence) == tokens


def test_vocab_reserves_id_zero_for_unknown_and_folds_case():
    vocab = Vocab.build(["The", "cat", "the", "sat"])
    assert vocab.tokens == ("<unk>", "the", "cat", "sat") and len(vocab) == 4
    assert vocab.encode(["THE", "cat", "dog"]).tolist() == [1, 2, 0]


def test_a_word_has_one_vector_whatever_its_sentence_or_case():
    a = token_vectors(["The", "cat", "sat"], 8, seed=3)
    b = token_vectors(["a", "CAT"], 8, seed=3)
    assert a.shape == (3, 8) and a.dtype == np.float64
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.allclose(a[0], a[1])                                  # different words differ
    assert not np.allclose(a, token_vectors(["The", "cat", "sat"], 8, seed=4))  # the seed matters
    assert token_vectors(["cat"], 4, dtype=np.float32).dtype == np.float32
