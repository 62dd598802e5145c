"""The bottleneck on the shipped models: without attention, accuracy falls with source
length; with Bahdanau attention it holds (held-out pairs, greedy translations)."""
import pytest

from engine.recipes import bottleneck
from engine.recipes import bottleneck_data as data


@pytest.fixture(scope="module")
def shipped():
    return bottleneck.load_bottleneck()


@pytest.fixture(scope="module")
def curves(shipped):
    return {kind: bottleneck.accuracy_by_length(getattr(shipped, kind), shipped.src_vocab, shipped.tgt_vocab)
            for kind in bottleneck.KINDS}


def reference(src):
    """The target the task's docstring describes: word for word, each noun's adjectives after it, reversed."""
    out, adjectives = [], []
    for word in src:
        if word in data.ADJS:
            adjectives.append(word)
        elif word in data.NOUNS:
            out += [word, *adjectives[::-1]]
            adjectives = []
        else:
            out.append(word)
    return [data.TARGET_WORDS[w] for w in out]


def test_pairs_translate_word_for_word_with_adjectives_after_the_noun():
    pairs = data.pairs(300, 3)
    assert all(tgt == reference(src) for src, tgt in pairs)
    assert sum(bool(set(src) & set(data.ADJS)) for src, _ in pairs) > 150  # reordering is common
    lengths = [len(s) for s, _ in pairs]
    assert min(lengths) == data.MIN_LEN and max(lengths) == data.MAX_LEN


def test_held_out_sources_cover_every_length_and_never_train():
    held = bottleneck.held_out_pairs()
    assert {len(s) for s, _ in held} == set(range(data.MIN_LEN, data.MAX_LEN + 1))
    sources = {tuple(s) for s, _ in held}
    seen = 0
    for step in range(5):  # the recipe drops them from every batch; here: how rare a collision is
        seen += sum(tuple(s) in sources for s, _ in data.pairs(48, (0, step)))
    assert seen <= 5  # and those few are dropped by train_translator


def test_the_bottleneck_shape(curves):
    first, last = (bottleneck.bucket_label(*b) for b in (bottleneck.BUCKETS[0], bottleneck.BUCKETS[-1]))
    assert abs(curves["attention"][first] - curves["plain"][first]) <= bottleneck.SHORT_BAR
    assert curves["attention"][last] - curves["plain"][last] >= bottleneck.LONG_BAR
    plain = list(curves["plain"].values())
    assert all(a > b for a, b in zip(plain, plain[1:]))  # without attention, every longer bucket is worse
    assert min(curves["attention"].values()) >= 0.9


def test_stored_curves_are_the_measured_ones(shipped, curves):
    stored = shipped.meta["results"]["accuracy_by_length"]
    for kind in bottleneck.KINDS:
        for label, value in curves[kind].items():
            assert value == pytest.approx(stored[kind][label], abs=0.02)


def test_translate_a_sentence(shipped):
    sentence = "the small red fox sees a bird"
    assert bottleneck.translate(shipped.attention, shipped.src_vocab, shipped.tgt_vocab, sentence) == \
        "lo vulpa ressi pikko vida un avi"
    assert bottleneck.translate(shipped.plain, shipped.src_vocab, shipped.tgt_vocab, "") == ""
