"""The shipped weights load without pickle and still reach the accuracy stored beside them."""
import json

import numpy as np
import pytest

from engine import zoo
from engine.decode import beam_search, greedy_decode
from engine.recipes import phrases as recipes_phrases
from engine.recipes import toy_tasks


def test_every_zoo_model_ships_small_and_loads_without_pickle():
    files = sorted(zoo.WEIGHTS.glob("*.npz"))
    assert {f.name for f in files} >= {m.path.name for m in zoo.models().values()}
    assert {"reversal_transformer", "phrases_seq2seq", "phrases_transformer"} <= zoo.models().keys()
    assert sum(f.stat().st_size for f in files) <= 8 * 2**20  # the whole zoo's budget
    for f in files:
        with np.load(f, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            assert {"config", "recipe", "seed"} <= meta.keys()
            assert all(data[k].dtype in (np.float32, np.float16) for k in data.files if k != "meta")


def test_reversal_transformer_reaches_its_stated_accuracy():
    model, meta = toy_tasks.load_reversal()
    src, tgt = toy_tasks.eval_set("reverse", meta["eval"]["n"])
    accuracy = toy_tasks.sequence_accuracy(model, src, tgt)
    assert accuracy >= 0.99
    assert accuracy >= meta["accuracy"] - 0.002  # float64 here, float32 when it was measured


def test_reversal_cross_attention_reads_the_source_backwards():
    model, _ = toy_tasks.load_reversal()
    src, tgt = toy_tasks.eval_set("reverse", 50)
    grids = np.stack([toy_tasks.attention_grid(model, s, t) for s, t in zip(src, tgt)])
    assert grids.shape == (50, 9, 8)  # rows: outputs then <eos>; columns: inputs
    anti_diagonal = grids[:, np.arange(8), np.arange(8)[::-1]]  # (50, 8)
    assert np.all(grids.mean(0)[:8].argmax(-1) == np.arange(8)[::-1])
    assert anti_diagonal.mean() > 0.6


@pytest.mark.parametrize("load", [recipes_phrases.load_phrase_model, recipes_phrases.load_phrase_transformer])
def test_phrase_models_reach_their_stated_accuracy_and_alignment(load):
    model, phrases, meta = load()
    assert recipes_phrases.phrase_accuracy(model, phrases) >= max(meta["accuracy"] - 0.01, 0.95)
    assert recipes_phrases.alignment_agreement(model, phrases) >= meta["alignment_agreement"] - 0.05
    assert meta["alignment_agreement"] >= 0.6


def test_the_phrase_transformer_translates_the_lesson_sentence():
    model, phrases, _ = recipes_phrases.load_phrase_transformer()
    src = phrases.encode_src("I love you very much")[:, None]
    greedy = greedy_decode(model.next_token_log_probs(src), 1, 10)
    assert phrases.decode_tgt(greedy.tokens[:, 0]) == "ti amo molto"
    weights = recipes_phrases.alignment(model, phrases, "I love you very much", "Ti amo molto")
    assert weights.shape == (4, 5)  # ti amo molto <eos> × I love you very much
    np.testing.assert_allclose(weights.sum(-1), 1)


def test_i_love_you_very_much():
    model, phrases, _ = recipes_phrases.load_phrase_model()
    src = phrases.encode_src("I love you very much")[:, None]  # (S, 1)
    greedy = greedy_decode(model.next_token_log_probs(src), 1, 10)
    assert phrases.decode_tgt(greedy.tokens[:, 0]) == "ti amo molto"
    beam = beam_search(model.next_token_log_probs(src), beam_width=3, max_len=10)
    assert phrases.decode_tgt(beam.best.tokens) == "ti amo molto"
    assert len(beam.nodes) > 3 * len(beam.beams) - 3  # the tree keeps the pruned branches
    tgt = np.array([[2, *phrases.tgt_vocab.encode(["ti", "amo", "molto"])]]).T
    _, cache = model.forward(src, tgt)
    words = ["i", "love", "you", "very", "much"]
    assert words[cache.weights[0, 1].argmax()] == "love"  # "amo" looks at "love"


def test_sequence_accuracy_in_chunks_is_the_whole_set_accuracy():
    """Decoding in chunks bounds memory; the figure is the one decoding all at once gives."""
    model, _ = toy_tasks.load_reversal()
    src, tgt = toy_tasks.eval_set("reverse", 120)
    tgt = tgt.copy()
    tgt[::3, 0] = (tgt[::3, 0] + 1) % 10 + 4          # a third of the answers made wrong
    whole = greedy_decode(model.next_token_log_probs(src.T), len(src), tgt.shape[1] + 1)
    expected = np.mean([s == list(t) for s, t in zip(whole.sequences(), tgt)])
    assert expected < 0.7
    for chunk in (1, 50, 120, 1000):
        assert toy_tasks.sequence_accuracy(model, src, tgt, chunk=chunk) == pytest.approx(expected)
