"""The frame cache: finished runs kept by key, and a run that waits for the warm-up of the same frames."""
from __future__ import annotations

import threading

from tutor.frame_cache import FrameCache


def test_keeps_the_most_recent_runs():
    cache = FrameCache(size=2)
    for name in "abc":
        cache.put((name,), [name])
    assert cache.get(("a",)) is None and cache.get(("c",)) == ["c"]


def test_a_run_waits_for_the_warm_up_under_way_instead_of_computing_beside_it():
    cache = FrameCache()
    key = ("scene", (("n", "1"),))
    done = cache.claim(key)
    assert done is not None and cache.claim(key) is None      # one warm-up per key
    got: list = []
    waiter = threading.Thread(target=lambda: got.append(cache.wait(key, lambda: False)))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive() and not got                        # still waiting
    cache.put(key, ["frame"])
    cache.release(key, done)
    waiter.join(2)
    assert got == [["frame"]]
    assert cache.claim(key) is not None                         # free to warm again


def test_a_cancelled_run_stops_waiting_and_nothing_warming_means_no_wait():
    cache = FrameCache()
    key = ("scene", ())
    assert cache.wait(key, lambda: False) is None               # nothing warming, nothing kept
    cache.claim(key)
    assert cache.wait(key, lambda: True) is None                # cancelled: returns at once
