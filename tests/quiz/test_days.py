"""Day boundaries in the learner's zone, and how due times and intervals read."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tutor.quiz.days import day_start, describe_due, next_day_start
from tutor.quiz.days import interval

UTC = timezone.utc
NY = ZoneInfo("America/New_York")


def test_today_ends_at_the_learners_midnight():
    now = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)            # 22:30 on March 1st in New York
    assert next_day_start(now, NY) == datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert day_start(now, NY) == datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
    assert next_day_start(now, UTC) == datetime(2026, 3, 3, tzinfo=UTC)
    assert next_day_start(now, NY).tzinfo is UTC


def test_due_times_read_in_local_time():
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert describe_due(now - timedelta(hours=1), now, UTC) == "now"
    assert describe_due(now + timedelta(minutes=10), now, UTC) == "in 10 min"
    assert describe_due(now + timedelta(hours=5), now, UTC) == "today at 14:00"
    assert describe_due(now + timedelta(days=1), now, UTC) == "tomorrow at 09:00"
    assert describe_due(now + timedelta(days=8), now, UTC) == "Tue 10 Mar (in 8 days)"


def test_intervals_are_short():
    assert [interval(timedelta(seconds=s)) for s in (20, 330, 600, 7200)] == ["1 min", "6 min", "10 min", "2 h"]
    assert [interval(timedelta(days=d)) for d in (1, 8, 90, 800)] == ["1 day", "8 days", "3 mo", "2.2 y"]
