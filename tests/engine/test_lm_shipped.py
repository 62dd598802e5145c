"""The four shipped language models: held-out bits per character well below the unigram
model's, as their meta states; the zoo lists them; samples are seeded."""
import numpy as np
import pytest

from engine import zoo
from engine.charlm import Corpus, load_corpus, unigram_bits
from engine.language_models import KINDS
from engine.recipes import language_models as lm
from engine.sampling import sample_text


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_model_beats_the_unigram_model_on_held_out_text(kind):
    bits, unigram = lm.heldout_bits(kind)
    _, _, meta = lm.load(kind)
    assert bits <= unigram - lm.MARGIN
    assert bits == pytest.approx(meta["heldout_bits_per_char"], abs=0.01)  # float16 on disk
    assert unigram == pytest.approx(meta["unigram_bits_per_char"], abs=1e-3)
    assert all(m.ok for m in zoo.get(f"lm_{kind}").measure())


def test_the_four_are_in_the_zoo_within_budget():
    files = [lm.weights_file(k) for k in KINDS]
    assert {f"lm_{k}" for k in KINDS} <= zoo.models().keys()
    assert sum(f.stat().st_size for f in files) <= 4 * 2**20
    counts = [lm.load(k)[2]["parameters"] for k in KINDS]
    assert max(counts) <= 1.15 * min(counts)


def test_meta_states_the_split_and_the_recipe():
    _, vocab, meta = lm.load("lstm")
    corpus = Corpus.from_text(load_corpus(), vocab=vocab)
    assert meta["data"]["heldout_chars"] == len(corpus.heldout)
    assert meta["recipe"]["clip"] == 1.0 and meta["recipe"]["warmup"] > 0
    assert meta["unigram_bits_per_char"] == pytest.approx(unigram_bits(corpus), abs=1e-3)


def test_a_trained_model_writes_words():
    model, vocab, _ = lm.load("lstm")
    greedy = sample_text(model, vocab, "The ", 60, temperature=0)
    assert greedy == sample_text(model, vocab, "The ", 60, temperature=0, seed=9)
    words = greedy.split()
    known = set(load_corpus().split())
    assert sum(w in known for w in words) >= len(words) // 2, greedy


def test_next_character_after_a_familiar_prefix():
    model, vocab, _ = lm.load("gru")
    from engine.sampling import next_token_distribution
    p = next_token_distribution(model, vocab.encode("she said to the bo"))
    assert np.isclose(p.sum(), 1.0)
    assert vocab.chars[int(np.argmax(p))] in "aouy"


@pytest.mark.slow
def test_retraining_the_rnn_from_its_recipe_reaches_the_shipped_figure(tmp_path):
    meta = lm.pretrain("rnn", out=tmp_path / "lm_rnn.npz")
    assert meta["heldout_bits_per_char"] <= meta["unigram_bits_per_char"] - lm.MARGIN
    assert meta["heldout_bits_per_char"] == pytest.approx(lm.load("rnn")[2]["heldout_bits_per_char"], abs=0.02)
    assert meta["train_seconds"] <= 120  # CPU seconds, one BLAS thread
