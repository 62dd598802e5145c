"""`tutor stats`: reviews, retention from the log and a 14-day forecast, at a fixed clock."""
from __future__ import annotations

from datetime import timedelta, timezone

from tutor import srs, stats
from tutor.cli import main
from tutor.quiz.queue import build_plan
from tutor.quiz.session import Session

from .helpers import T0, card, lesson, write_course

UTC = timezone.utc


def review_at(course, store, now, ratings):
    plan = build_plan(course, store, now, new_per_day=100, lesson=course.lessons[0], tz=UTC)
    s = Session(store, srs.Scheduler(0.9, fuzz=False), plan, clock=lambda: now)
    for rating in ratings:
        s.grade(rating)


def test_counts_retention_and_forecast(tmp_path, store):
    lessons = tmp_path / "lessons"
    course = write_course(lessons, {"a.md": lesson("a", 1, [card(f"a.{i}") for i in range(4)])})
    day0 = T0 - timedelta(days=20)
    review_at(course, store, day0, [srs.EASY, srs.EASY, srs.EASY, srs.AGAIN])   # 3 due on day 8
    # day 8: a.3 (still learning) comes first as the most overdue, then a.0-a.2 in the review phase
    review_at(course, store, day0 + timedelta(days=8), [srs.GOOD, srs.GOOD, srs.AGAIN, srs.GOOD])
    course = write_course(lessons, {"a.md": lesson("a", 1, [card(f"a.{i}") for i in range(1, 4)])})
    result = stats.compute(course, store, T0, UTC)
    windows = {w.label: w for w in result.windows}
    assert (windows["today"].reviews, windows["7 days"].reviews) == (0, 0)
    assert [r.state_before for r in store.reviews(since=day0 + timedelta(days=1))] == [
        "learning", "review", "review", "review"]
    assert windows["all time"].reviews == windows["30 days"].reviews == 8
    assert windows["all time"].recalled == 6
    assert (windows["all time"].mature, windows["all time"].mature_recalled) == (3, 2)
    assert windows["all time"].retention == 2 / 3
    assert result.cards == 3 and result.new == 0 and result.removed == 1     # a.0 left the course
    assert len(result.forecast) == 14 and result.forecast[0][0] == T0.date()
    dues = sorted(store.card(f"a.{i}").due for i in range(1, 4))
    assert sum(n for _, n in result.forecast) == sum(d < T0 + timedelta(days=14) for d in dues)
    assert result.forecast[0][1] == sum(d < T0.replace(hour=0) + timedelta(days=1) for d in dues)


def test_forecast_buckets_by_local_day_with_overdue_today():
    now = T0  # 09:00 UTC
    dues = [now - timedelta(days=3), now + timedelta(hours=10), now + timedelta(hours=16),
            now + timedelta(days=13, hours=1), now + timedelta(days=14, hours=15)]
    counts = [n for _, n in stats.forecast(dues, now, UTC)]
    assert counts[0] == 2 and counts[1] == 1 and counts[13] == 1 and sum(counts) == 4


def test_cli_prints_a_table(tmp_path, capsys):
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    for needle in ("Reviews", "retention", "today", "all time", "Due in the next 14 days", "tomorrow", "Cards:"):
        assert needle in out
