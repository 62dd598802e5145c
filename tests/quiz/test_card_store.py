"""Card state and the review log in the store: round trips, migration, edits to lessons."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

from tutor import srs
from tutor.quiz.queue import build_plan, card_lessons
from tutor.quiz.session import Session
from tutor.store import MIGRATIONS, SCHEMA_VERSION, Store

from .helpers import T0, card, lesson, write_course


def session(course, store, now=T0, **kw):
    plan = build_plan(course, store, now, new_per_day=kw.pop("new_per_day", 20), tz=kw.pop("tz", None), **kw)
    return Session(store, srs.Scheduler(0.9, fuzz=False), plan, clock=lambda: now, seeds=lambda: 1)


def test_v1_store_is_migrated_and_keeps_its_progress(tmp_path):
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO lesson_progress VALUES ('rnn', 3, 7, 1, '2026-01-01T00:00:00+00:00')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = Store.open(path)
    assert store.notice is None and store.progress("rnn").done
    assert SCHEMA_VERSION >= 2
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"card_state", "review_log", "lesson_progress", "settings"} <= tables
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_state_survives_a_round_trip_through_the_store(tmp_path):
    course = write_course(tmp_path / "lessons", {"a.md": lesson("a", 1, [card("a.one")])})
    path = tmp_path / "p.sqlite3"
    store = Store.open(path)
    s = session(course, store, lesson=course.lessons[0])
    graded = s.grade(srs.EASY)
    store.close()

    store = Store.open(path)
    stored = store.card("a.one")
    assert stored.due == graded.due == T0 + timedelta(days=8)
    assert stored.format == srs.FORMAT and stored.reps == 1 and stored.introduced_at == T0
    assert stored.due.tzinfo is not None and stored.due.utcoffset() == timedelta(0)
    assert srs.load(stored.state).due == stored.due
    [review] = store.reviews("a.one")
    assert (review.rating, review.state_before, review.due_before, review.due_after) == (4, "new", None, stored.due)
    # the next review continues from the stored state: Good after 8 days grows the interval
    later = T0 + timedelta(days=8)
    again = session(course, store, now=later, lesson=course.lessons[0])
    assert [item.card.id for item in again.queue] == ["a.one"] and not again.queue[0].new
    assert again.grade(srs.GOOD).due - later > timedelta(days=8)
    assert store.card("a.one").reps == 2 and len(store.reviews("a.one")) == 2


def test_rewording_a_card_keeps_its_history(tmp_path):
    lessons = tmp_path / "lessons"
    course = write_course(lessons, {"a.md": lesson("a", 1, [card("a.one", front="Old wording?")])})
    store = Store.open(tmp_path / "p.sqlite3")
    session(course, store, lesson=course.lessons[0]).grade(srs.AGAIN)
    course = write_course(lessons, {"a.md": lesson("a", 1, [card("a.one", front="New, clearer wording?",
                                                                  back="A new back.")])})
    s = session(course, store, now=T0 + timedelta(minutes=2), lesson=course.lessons[0])
    [item] = s.queue
    assert not item.new and item.card.front == "New, clearer wording?"
    assert s.show().question == "New, clearer wording?"
    s.grade(srs.GOOD)
    assert [r.rating for r in store.reviews("a.one")] == [srs.AGAIN, srs.GOOD]
    assert store.card("a.one").reps == 2


def test_a_removed_card_keeps_its_log_and_stops_being_due(tmp_path):
    lessons = tmp_path / "lessons"
    course = write_course(lessons, {"a.md": lesson("a", 1, [card("a.one"), card("a.two")])})
    store = Store.open(tmp_path / "p.sqlite3")
    s = session(course, store, lesson=course.lessons[0])
    s.grade(srs.AGAIN)
    s.grade(srs.AGAIN)
    later = T0 + timedelta(minutes=5)
    assert store.due_counts(card_lessons(course), later) == {"a": 2}

    course = write_course(lessons, {"a.md": lesson("a", 1, [card("a.two")])})
    assert store.due_counts(card_lessons(course), later) == {"a": 1}
    assert [i.card.id for i in session(course, store, now=later, lesson=course.lessons[0]).queue] == ["a.two"]
    assert len(store.reviews("a.one")) == 1 and store.card("a.one") is not None
    # putting it back brings its schedule back
    course = write_course(lessons, {"a.md": lesson("a", 1, [card("a.one"), card("a.two")])})
    assert store.due_counts(card_lessons(course), later) == {"a": 2}


def test_a_card_moved_to_another_lesson_counts_there(tmp_path):
    lessons = tmp_path / "lessons"
    course = write_course(lessons, {"a.md": lesson("a", 1, [card("x.card")]), "b.md": lesson("b", 2, [])})
    store = Store.open(tmp_path / "p.sqlite3")
    session(course, store, lesson=course.find("a")).grade(srs.AGAIN)
    course = write_course(lessons, {"a.md": lesson("a", 1, []), "b.md": lesson("b", 2, [card("x.card")])})
    assert store.due_counts(card_lessons(course), T0 + timedelta(hours=1)) == {"b": 1}


def test_a_failed_review_writes_nothing(store):
    def broken(_):
        raise RuntimeError("boom")

    try:
        store.record_review("x", broken)
    except RuntimeError:
        pass
    assert store.card("x") is None and store.reviews() == []
    store.set_setting("still", "writable")  # the transaction was rolled back, not left open
    assert store.setting("still") == "writable"
