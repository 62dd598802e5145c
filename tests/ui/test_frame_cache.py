"""The frame cache keeps the most recent finished runs by key."""
from __future__ import annotations

from tutor.widgets.frame_cache import FrameCache


def test_keeps_the_most_recent_runs():
    cache = FrameCache(size=2)
    for name in "abc":
        cache.put((name,), [name])
    assert cache.get(("a",)) is None and cache.get(("c",)) == ["c"]
    cache.get(("b",))                     # b is now the most recent: c goes first
    cache.put(("d",), ["d"])
    assert cache.get(("c",)) is None and cache.get(("b",)) == ["b"]
