"""Greedy decoding of the RNN encoder–decoders one decoder step per token (steps), against
decoding the whole prefix again at every step (the reference): the same tokens."""
import numpy as np
import pytest

from engine.decode import greedy_decode, greedy_decode_steps
from engine.functional import log_softmax
from engine.recipes import bottleneck
from engine.seq2seq import Seq2SeqAttention, Seq2SeqConfig
from engine.seq2seq_plain import Seq2SeqPlain
from engine.seq_tasks import BOS, EOS, PAD, make_batch


@pytest.fixture(scope="module")
def shipped():
    return bottleneck.load_bottleneck()


def by_length(pairs):
    groups = {}
    for p in pairs:
        groups.setdefault(len(p[0]), []).append(p)
    return sorted(groups.items())


@pytest.mark.parametrize("kind", sorted(bottleneck.KINDS))
def test_incremental_and_full_prefix_greedy_agree_on_every_held_out_pair(shipped, kind):
    model = getattr(shipped, kind)
    pairs = bottleneck.held_out_pairs()
    compared = 0
    for length, group in by_length(pairs):
        src = np.stack([shipped.src_vocab.encode(s) for s, _ in group], axis=1)
        lp = model.next_token_log_probs(src)
        full = greedy_decode(lp, len(group), length + 2, incremental=False)
        fast = greedy_decode(lp, len(group), length + 2)
        assert fast.tokens.tolist() == full.tokens.tolist(), length
        np.testing.assert_allclose(fast.log_probs, full.log_probs, rtol=0, atol=1e-12)
        compared += len(group)
    assert compared == len(pairs) == bottleneck.PER_LENGTH * 22


@pytest.mark.parametrize("cls", [Seq2SeqAttention, Seq2SeqPlain])
@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_steps_give_the_teacher_forced_distributions(cls, cell):
    """Fed a target token by token, with source padding, the steps give decode's log-probabilities."""
    model = cls(Seq2SeqConfig(9, 8, embed_dim=5, hidden_size=6, attention_size=4, cell=cell), seed=2)
    b = make_batch([[4, 5, 6, 7, 8], [5, 6], [8, 7, 6]], [[4, 5, 6], [5], [7, 7, 4, 5]])
    enc = model.encode(b.src, b.src_pad)
    logits, _ = model.decode(b.tgt_in, enc)
    step = model.next_token_log_probs(b.src, b.src_pad).steps(3)
    for t, tokens in enumerate(b.tgt_in):
        np.testing.assert_allclose(step(tokens), log_softmax(logits[t], axis=-1), rtol=0, atol=1e-12)


def test_one_source_steps_for_several_sequences():
    model = Seq2SeqAttention(Seq2SeqConfig(9, 8), seed=4)
    src = np.array([[4], [6], [5]])
    lp = model.next_token_log_probs(src)
    step = lp.steps(3)
    first = step(np.full(3, BOS))
    second = step(np.array([4, 5, 6]))
    np.testing.assert_allclose(first, np.repeat(lp(np.full((1, 1), BOS)), 3, axis=0), atol=1e-12)
    np.testing.assert_allclose(second, lp(np.array([[BOS] * 3, [4, 5, 6]])), atol=1e-12)


def test_greedy_decoding_never_decodes_a_prefix_again(shipped, monkeypatch):
    src = np.stack([shipped.src_vocab.encode(s) for s, _ in bottleneck.held_out_pairs()[:1]], axis=1)
    lp = shipped.attention.next_token_log_probs(src)
    want = greedy_decode(lp, 1, 12, incremental=False).tokens

    def refuse(*args):
        raise AssertionError("the whole prefix was decoded")

    monkeypatch.setattr(shipped.attention, "decode", refuse)
    assert greedy_decode(lp, 1, 12).tokens.tolist() == want.tolist()


def test_each_sequence_stops_at_its_own_eos():
    """Column i says EOS at step i: it is then fed PAD and emits PAD, and decoding stops
    at the step the last column ends, well before max_len."""
    V, fed = 8, []

    def step(tokens):
        fed.append(tokens.tolist())
        t = len(fed) - 1
        lp = np.full((3, V), -5.0)
        lp[:, 4] = -1.0
        lp[np.arange(3) == t, EOS] = 0.0
        return lp

    result = greedy_decode_steps(step, 3, max_len=10)
    assert result.tokens.tolist() == [[EOS, 4, 4], [PAD, EOS, 4], [PAD, PAD, EOS]]
    assert fed == [[BOS] * 3, [EOS, 4, 4], [PAD, EOS, 4]]
    assert result.sequences() == [[], [4], [4, 4]]
    assert result.log_probs.shape == (3, 3, V)


def test_shipped_translations_stop_at_eos_per_sequence(shipped):
    """Sources of 3 to 23 words in one padded batch: each translation ends at its own EOS."""
    pairs = bottleneck.held_out_pairs()[::bottleneck.PER_LENGTH]  # odd lengths, 3 to 23, twice each
    b = make_batch([shipped.src_vocab.encode(s) for s, _ in pairs], [shipped.tgt_vocab.encode(t) for _, t in pairs])
    result = greedy_decode(shipped.attention.next_token_log_probs(b.src, b.src_pad), len(pairs), 40)
    ends = [int(np.flatnonzero(col == EOS)[0]) for col in result.tokens.T]  # every one finished
    assert len(set(ends)) > 10 and len(result.tokens) == max(ends) + 1 < 40
    for col, end in zip(result.tokens.T, ends):
        assert np.all(col[end + 1:] == PAD)
