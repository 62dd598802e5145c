"""Text for language modelling: one-line errors for unusable files, the vocabulary, the split,
batches, and the unigram baseline."""
import math

import numpy as np
import pytest

from engine import charlm
from engine.charlm import (CharVocab, Corpus, TextError, bits_per_char, heldout_windows,
                           load_corpus, load_text, unigram_bits)

PROSE = "The cat sat on the mat. " * 60


def _one_line(excinfo):
    msg = str(excinfo.value)
    assert msg and "\n" not in msg
    return msg


def test_shipped_corpus_is_large_original_prose():
    text = load_corpus()
    assert len(text.encode("utf-8")) >= 100_000
    corpus = Corpus.from_text(text)
    assert len(corpus.heldout) == pytest.approx(0.1 * len(text), abs=1)
    assert corpus.vocab.decode(np.concatenate([corpus.train, corpus.heldout])) == text


@pytest.mark.parametrize("content,message", [
    (b"", "is empty"),
    (b"abc\x00def" * 300, "binary"),
    (bytes(range(1, 32)) * 100, "binary"),
    (b"caf\xe9 " * 400, "not UTF-8"),
    (b"short text", "at least"),
])
def test_unusable_files_get_one_line(tmp_path, content, message):
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(TextError) as e:
        load_text(path)
    assert message in _one_line(e)


def test_missing_directory_and_huge_files(tmp_path, monkeypatch):
    with pytest.raises(TextError) as e:
        load_text(tmp_path / "nope.txt")
    assert "no such file" in _one_line(e)
    with pytest.raises(TextError) as e:
        load_text(tmp_path)
    assert "directory" in _one_line(e)
    big = tmp_path / "big.txt"
    big.write_text(PROSE)
    monkeypatch.setattr(charlm, "MAX_TEXT_BYTES", 1000)
    with pytest.raises(TextError) as e:
        load_text(big)
    assert "limit" in _one_line(e)


@pytest.mark.parametrize("error,message", [(PermissionError(13, "Permission denied"), "permission denied"),
                                           (OSError(5, "Input/output error"), "cannot read it")])
def test_unreadable_file(tmp_path, monkeypatch, error, message):
    path = tmp_path / "secret.txt"
    path.write_text(PROSE)

    def refuse(self):
        raise error
    monkeypatch.setattr(type(path), "read_bytes", refuse)
    with pytest.raises(TextError) as e:
        load_text(path)
    assert message in _one_line(e)


def test_utf8_text_with_crlf_and_bom_loads(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("\ufeff".encode() + ("naïve café\r\n" * 100).encode())
    text = load_text(path)
    assert text.startswith("naïve café\nnaïve") and "\r" not in text


def test_stdlib_source_is_text_every_install_carries():
    text = charlm.stdlib_text("textwrap")
    assert "def wrap" in text


def test_vocab_caps_rare_characters_into_unknown():
    text = "".join(chr(0x4E00 + i) for i in range(200)) + "ab" * 500
    vocab = CharVocab.from_text(text)
    assert len(vocab) == charlm.MAX_VOCAB and vocab.chars[-1] == charlm.UNKNOWN
    ids = vocab.encode(text)
    assert vocab.decode(ids[-4:]) == "abab"


def test_batches_are_next_character_windows_and_seeded():
    corpus = Corpus.from_text(PROSE)
    x, y = corpus.batch(16, 4, seed=(0, 1))
    assert x.shape == y.shape == (16, 4)
    np.testing.assert_array_equal(x[1:], y[:-1])
    np.testing.assert_array_equal(corpus.batch(16, 4, seed=(0, 1))[0], x)
    xh, yh = heldout_windows(corpus.heldout, 8)
    np.testing.assert_array_equal(xh[1:], yh[:-1])


def test_unigram_bits_is_the_entropy_of_smoothed_frequencies():
    corpus = Corpus.from_text("ab" * 600)
    assert unigram_bits(corpus) == pytest.approx(1.0, abs=0.01)


class _Uniform:
    def __init__(self, V):
        self.V = V

    def logits(self, ids):
        return np.zeros((*ids.shape, self.V))


def test_a_uniform_model_scores_log2_of_the_vocabulary():
    corpus = Corpus.from_text(PROSE)
    V = len(corpus.vocab)
    assert bits_per_char(_Uniform(V), corpus.heldout, 16) == pytest.approx(math.log2(V))
