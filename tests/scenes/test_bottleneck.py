"""bottleneck: held-out accuracy by source length of the two shipped translators, one bucket a frame."""
import numpy as np
import pytest

from engine.recipes.bottleneck import BUCKETS, accuracy_by_length, bucket_label, load_bottleneck
from tutor.frames import Chart, Table
from tutor.scenes.registry import SCENES

from .test_attention_common import assert_frozen, render_frame


@pytest.fixture(scope="module")
def trained():
    return list(SCENES["bottleneck"].frames({}))


@pytest.fixture(scope="module")
def curves():
    b = load_bottleneck()
    return {kind: accuracy_by_length(getattr(b, kind), b.src_vocab, b.tgt_vocab) for kind in ("attention", "plain")}


def test_two_series_with_and_without_attention_grow_one_bucket_a_frame(trained, curves):
    assert len(trained) == len(BUCKETS)
    for k, frame in enumerate(trained, start=1):
        chart, table = frame.panels
        assert isinstance(chart, Chart) and isinstance(table, Table)
        assert [s.label for s in chart.series] == ["with attention", "without attention"]
        for s, kind in zip(chart.series, ("attention", "plain")):
            want = [curves[kind][bucket_label(*b)] for b in BUCKETS[:k]]
            np.testing.assert_allclose(s.y, want)
            np.testing.assert_allclose(s.x, [(lo + hi) / 2 for lo, hi in BUCKETS[:k]])
        assert chart.y_range == (0.0, 1.0) and len(table.rows) == k
        assert_frozen(frame)
        render_frame(frame)


def test_the_final_caption_states_the_shortest_and_longest_buckets(trained, curves):
    a, p = curves["attention"], curves["plain"]
    first, last = bucket_label(*BUCKETS[0]), bucket_label(*BUCKETS[-1])
    cap = trained[-1].caption
    assert f"{first} words: {a[first]:.2f} with attention, {p[first]:.2f} without" in cap
    assert f"{last} words: {a[last]:.2f} with, {p[last]:.2f} without" in cap
    assert abs(a[first] - p[first]) <= 0.15 and a[last] - p[last] >= 0.2      # the shape the scene shows


def test_untrained_translates_nothing():
    frames = list(SCENES["bottleneck"].frames({"model": "untrained", "seed": 1}))
    chart = frames[-1].panels[0]
    assert chart.title.endswith("(untrained)") and "seed 1" in frames[-1].caption
    assert max(float(np.max(s.y)) for s in chart.series) < 0.3
