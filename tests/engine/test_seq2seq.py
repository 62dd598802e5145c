"""The RNN encoder–decoder with Bahdanau attention, and the seq2seq tasks it learns."""
import numpy as np
import pytest

import engine
from engine.gradcheck import numerical_grad, rel_error
from engine.seq2seq import Seq2SeqConfig
from engine.seq_tasks import (BOS, EOS, PAD, copy_pairs, load_phrases, make_batch, reverse_pairs,
                              strip, symbol_vocab)


def test_reverse_and_copy_pairs():
    src, tgt = reverse_pairs(5, length=8, n_symbols=10, seed=1)
    assert src.shape == tgt.shape == (5, 8)
    np.testing.assert_array_equal(tgt, src[:, ::-1])
    assert src.min() >= 4 and src.max() < 14 and len(symbol_vocab(10)) == 14
    np.testing.assert_array_equal(reverse_pairs(5, seed=1)[0], src)  # seeded
    c_src, c_tgt = copy_pairs(3, length=4, seed=2)
    np.testing.assert_array_equal(c_src, c_tgt)


def test_make_batch_pads_and_shifts_for_teacher_forcing():
    b = make_batch([[4, 5, 6], [7]], [[8, 9], [10, 11, 12]])
    assert b.src.T.tolist() == [[4, 5, 6], [7, PAD, PAD]]
    assert b.tgt_in.T.tolist() == [[BOS, 8, 9, PAD], [BOS, 10, 11, 12]]
    assert b.tgt_out.T.tolist() == [[8, 9, EOS, PAD], [10, 11, 12, EOS]]
    assert b.src_pad.tolist() == [[False] * 3, [False, True, True]]
    assert b.loss_mask.T.tolist() == [[True, True, True, False], [True] * 4]
    assert strip([BOS, 8, 9, EOS, 5]) == [8, 9]


def test_phrase_set_ships_the_lesson_sentence():
    phrases = load_phrases()
    assert 60 <= len(phrases) <= 150
    assert ("I love you very much", "Ti amo molto") in phrases.pairs
    ids = phrases.encode_src("I love you very much")
    assert len(ids) == 5 and 0 not in ids  # every word known
    assert phrases.encode_src("I love zebras")[-1] == 0  # <unk>
    it = phrases.tgt_vocab.encode(["ti", "amo", "molto"])
    assert phrases.decode_tgt([*it, EOS, 7]) == "ti amo molto"


@pytest.mark.parametrize("padded", [True, False])
@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_backward_matches_finite_differences(cell, padded):
    """With source padding (sentences of different lengths), and without a mask at all."""
    rng = np.random.default_rng(0)
    model = engine.Seq2SeqAttention(Seq2SeqConfig(7, 6, embed_dim=3, hidden_size=3, attention_size=3, cell=cell),
                                    seed=1)
    if padded:
        b = make_batch([[4, 5, 6], [5, 6]], [[4, 5], [5, 4, 4]])
        src_pad = b.src_pad
    else:  # equal lengths: nothing to pad, and no mask passed
        b = make_batch([[4, 5, 6], [6, 5, 4]], [[4, 5], [5, 4]])
        src_pad = None
        assert not b.src_pad.any()
    w = rng.standard_normal(b.tgt_in.shape + (6,))

    def loss():
        return float((model.forward(b.src, b.tgt_in, src_pad)[0] * w).sum())

    logits, cache = model.forward(b.src, b.tgt_in, src_pad)
    if padded:
        assert np.all(cache.weights[1, :, 2:] == 0)  # the padded source word gets no attention
    grads = model.backward(w, cache)
    assert grads.keys() == model.state_dict().keys()
    for name, p in model.params.items():
        assert rel_error(grads[name], numerical_grad(loss, p)) < 1e-6, name


def test_alignment_is_a_distribution_over_the_real_source_words():
    model = engine.Seq2SeqAttention(Seq2SeqConfig(9, 8, cell="rnn"), seed=0)
    b = make_batch([[4, 5, 6, 7], [5, 6]], [[4, 5, 6], [5]])
    logits, cache = model.forward(b.src, b.tgt_in, b.src_pad)
    assert logits.shape == (4, 2, 8) and cache.weights.shape == (2, 4, 4)
    np.testing.assert_allclose(cache.weights.sum(-1), 1)
    assert np.all(cache.weights[1, :, 2:] == 0)


def test_padding_does_not_change_a_sentence_translation():
    model = engine.Seq2SeqAttention(Seq2SeqConfig(9, 8), seed=3)
    alone = make_batch([[5, 6]], [[4, 5]])
    padded = make_batch([[5, 6], [4, 5, 6, 7]], [[4, 5], [4]])
    a, _ = model.forward(alone.src, alone.tgt_in, alone.src_pad)
    b, _ = model.forward(padded.src, padded.tgt_in, padded.src_pad)
    np.testing.assert_allclose(b[:3, 0], a[:, 0], rtol=1e-10)


def test_unknown_cell_is_refused():
    with pytest.raises(ValueError):
        engine.Seq2SeqAttention(Seq2SeqConfig(5, 5, cell="lstm"))


def test_a_few_steps_of_training_lower_the_loss():
    from engine.recipes.phrases import PhraseRecipe, train_phrases
    phrases = load_phrases()
    small = type(phrases)(phrases.pairs[:12])
    _, losses = train_phrases(steps=25, phrases=small, recipe=PhraseRecipe(hidden_size=16, embed_dim=8,
                                                                          attention_size=8))
    assert losses[-1] < 0.5 * losses[0]
