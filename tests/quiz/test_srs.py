"""FSRS scheduling at a fixed clock: expected due dates, UTC handling, versioned state."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tutor import srs

from .helpers import T0

MIN, DAY = timedelta(minutes=1), timedelta(days=1)


def run(scheduler, ratings, start=T0):
    """Review at each due time in turn; returns the intervals (due − review time)."""
    state, fmt, now, gaps = None, None, start, []
    for rating in ratings:
        out = scheduler.review("card", state, fmt, rating, now)
        gaps.append(out.due - now)
        state, fmt, now = out.state, srs.FORMAT, out.due
    return gaps


def test_first_rating_of_a_new_card():
    # fsrs 6 defaults: learning steps 1 and 10 min; Hard waits their mean; Easy
    # graduates at once with the initial stability w[3] = 8.2956 days, and at 0.9
    # desired retention the interval equals the stability, rounded to whole days.
    s = srs.Scheduler(0.9, fuzz=False)
    got = {r: s.review("c", None, None, r, T0).due - T0 for r in srs.RATINGS}
    assert got == {srs.AGAIN: 1 * MIN, srs.HARD: timedelta(minutes=5.5), srs.GOOD: 10 * MIN, srs.EASY: 8 * DAY}


def test_a_sequence_of_ratings_gives_the_expected_due_dates():
    s = srs.Scheduler(0.9, fuzz=False)
    gaps = run(s, [srs.GOOD, srs.GOOD, srs.GOOD, srs.AGAIN, srs.GOOD, srs.GOOD])
    # learn (10 min), graduate at w[2] ≈ 2.3 days, grow, lapse into relearning (10 min), recover
    assert gaps == [10 * MIN, 2 * DAY, 11 * DAY, 10 * MIN, 2 * DAY, 5 * DAY]


def test_lower_desired_retention_spaces_reviews_further():
    easy = lambda retention: srs.Scheduler(retention, fuzz=False).review("c", None, None, srs.EASY, T0).due - T0
    assert easy(0.8) == 28 * DAY and easy(0.9) == 8 * DAY and easy(0.95) < 8 * DAY
    with pytest.raises(ValueError, match="between 0.7 and 0.99"):
        srs.Scheduler(1.5)


def test_times_are_converted_to_utc_and_naive_ones_refused():
    s = srs.Scheduler(0.9, fuzz=False)
    paris = T0.astimezone(ZoneInfo("Europe/Paris"))
    via_zoneinfo = s.review("c", None, None, srs.EASY, T0.astimezone(ZoneInfo("UTC")))
    via_paris = s.review("c", None, None, srs.EASY, paris)
    assert via_zoneinfo.due == via_paris.due == T0 + 8 * DAY
    assert via_paris.due.tzinfo is timezone.utc
    with pytest.raises(ValueError, match="naive"):
        s.review("c", None, None, srs.GOOD, datetime(2026, 3, 2, 9, 0))


def test_fuzz_is_on_by_default_and_seedable():
    import random

    assert srs.Scheduler().fsrs.enable_fuzzing
    long_gap = [srs.EASY, srs.EASY, srs.EASY]
    random.seed(7)
    first = run(srs.Scheduler(0.9, fuzz=True), long_gap)
    random.seed(7)
    assert run(srs.Scheduler(0.9, fuzz=True), long_gap) == first
    plain = run(srs.Scheduler(0.9, fuzz=False), long_gap)
    for fuzzed, exact in zip(first, plain):
        assert abs(fuzzed - exact) <= 0.15 * exact + DAY


def test_state_json_round_trips_and_unknown_formats_are_rebuilt_from_the_log():
    s = srs.Scheduler(0.9, fuzz=False)
    history, state, now = [], None, T0
    for rating in (srs.GOOD, srs.GOOD, srs.HARD):
        out = s.review("c", state, srs.FORMAT if state else None, rating, now)
        history.append((now, rating))
        state, now = out.state, out.due
    assert srs.load(state).due == now and srs.phase(state) == "review"
    expected = s.review("c", state, srs.FORMAT, srs.GOOD, now).due
    # a state from another fsrs major (or damaged) is replayed from the review log
    for bad_state, bad_format in ((state, srs.FORMAT - 1), ("{not json", srs.FORMAT)):
        assert srs.load(bad_state, bad_format) is None
        assert s.review("c", bad_state, bad_format, srs.GOOD, now, lambda: history).due == expected
    with pytest.raises(ValueError, match="no review log"):
        s.review("c", "{}", 99, srs.GOOD, now)
