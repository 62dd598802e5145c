"""The quiz queue and session: due first, new up to the daily limit, requeue, summary."""
from __future__ import annotations

from datetime import timedelta, timezone

from tutor import srs
from tutor.quiz.check import Verdict
from tutor.quiz.present import present
from tutor.quiz.queue import build_plan, new_available
from tutor.quiz.session import Session, auto_rating

from .helpers import T0, card, lesson, write_course

UTC = timezone.utc


def course_of(tmp_path, n_a=3, n_b=2):
    return write_course(tmp_path / "lessons", {
        "a.md": lesson("a", 1, [card(f"a.{i}") for i in range(n_a)]),
        "b.md": lesson("b", 2, [card(f"b.{i}") for i in range(n_b)]),
    })


def make_session(course, store, now=T0, seeds=None, **kw):
    plan = build_plan(course, store, now, new_per_day=kw.pop("new_per_day", 20), tz=UTC, **kw)
    return Session(store, srs.Scheduler(0.9, fuzz=False), plan, clock=lambda: now,
                   seeds=seeds or (lambda: 5))


def ids(session):
    return [item.card.id for item in session.queue]


def test_new_cards_come_only_from_finished_lessons_unless_one_is_chosen(tmp_path, store):
    course = course_of(tmp_path)
    assert make_session(course, store).plan.empty
    assert ids(make_session(course, store, lesson=course.find("b"))) == ["b.0", "b.1"]
    store.mark_done("a", 1)
    s = make_session(course, store)
    assert ids(s) == ["a.0", "a.1", "a.2"] and all(item.new for item in s.queue)
    assert new_available(course, store, T0, 20, UTC) == 3


def test_due_cards_first_most_overdue_first_then_new(tmp_path, store):
    course = course_of(tmp_path)
    store.mark_done("a", 1)
    store.mark_done("b", 1)
    s = make_session(course, store, lesson=course.find("b"))
    s.grade(srs.EASY)                       # b.0 due in 8 days
    s.grade(srs.HARD)                       # b.1 due in 5.5 min, requeued
    assert ids(s) == ["b.1"]
    later = T0 + timedelta(days=9)
    s = make_session(course, store, now=later)
    assert ids(s) == ["b.1", "b.0", "a.0", "a.1", "a.2"]
    assert (s.plan.due, s.plan.new) == (2, 3)
    assert [item.new for item in s.queue] == [False, False, True, True, True]


def test_daily_new_card_limit_counts_across_sessions(tmp_path, store):
    course = course_of(tmp_path, n_a=5)
    store.mark_done("a", 1)
    s = make_session(course, store, new_per_day=3)
    assert ids(s) == ["a.0", "a.1", "a.2"]
    s.grade(srs.EASY)
    s.grade(srs.EASY)
    assert ids(make_session(course, store, new_per_day=3)) == ["a.2"]   # one new card left today
    s.grade(srs.EASY)
    assert make_session(course, store, new_per_day=3).plan.empty
    tomorrow = T0 + timedelta(days=1)
    assert ids(make_session(course, store, now=tomorrow, new_per_day=3)) == ["a.3", "a.4"]


def test_limit_caps_a_session(tmp_path, store):
    course = course_of(tmp_path, n_a=5)
    store.mark_done("a", 1)
    assert len(make_session(course, store, limit=2).queue) == 2


def test_again_comes_back_in_the_same_session_and_the_summary_counts(tmp_path, store):
    course = course_of(tmp_path, n_a=2)
    s = make_session(course, store, lesson=course.find("a"))
    s.grade(srs.AGAIN)                 # a.0: back in 1 min, so later in this session
    s.grade(srs.EASY)                  # a.1: 8 days
    assert ids(s) == ["a.0"] and not s.queue[0].new
    s.grade(srs.EASY)
    assert s.finished
    summary = s.summary()
    assert (summary.reviewed, summary.correct) == (3, 2)
    # Easy right after a lapse graduates a.0 for one day; a.1 waits 8: the summary gives the earliest
    assert store.card("a.0").due == T0 + timedelta(days=1) and store.card("a.1").due == T0 + timedelta(days=8)
    assert summary.next_due == T0 + timedelta(days=1)


def test_skip_and_end_record_nothing(tmp_path, store):
    course = course_of(tmp_path, n_a=3)
    s = make_session(course, store, lesson=course.find("a"))
    s.skip()
    assert ids(s) == ["a.1", "a.2"] and store.reviews() == []
    s.end()
    assert s.finished and store.reviews() == [] and s.summary().reviewed == 0


def test_exercise_cards_get_fresh_numbers_but_keep_their_id_and_schedule(tmp_path, store):
    course = write_course(tmp_path / "lessons", {"e.md": lesson("e", 1, [
        card("e.count", "exercise", exercise="gru_params")])})
    seeds = iter([11, 22, 33])
    s = make_session(course, store, lesson=course.find("e"), seeds=lambda: next(seeds))
    first = s.show()
    assert s.show() is first                     # the same instance until it is answered
    verdict = first.check(str(first.exercise.answer))
    assert verdict.right
    s.grade(auto_rating(verdict), str(first.exercise.answer), verdict)   # Good: back in 10 min
    second = s.show()
    assert second.card.id == first.card.id == "e.count"
    assert second.seed == 22 and second.question != first.question
    [review] = store.reviews("e.count")
    assert review.seed == 11 and review.answer == str(first.exercise.answer) and review.rating == srs.GOOD
    # the seed in the log regenerates exactly what the learner saw
    assert present(first.card, review.seed).question == first.question


def test_invalid_and_empty_answers_are_not_graded(tmp_path, store):
    course = write_course(tmp_path / "lessons", {"e.md": lesson("e", 1, [
        card("e.count", "exercise", exercise="rnn_params")])})
    s = make_session(course, store, lesson=course.find("e"))
    shown = s.show()
    for typed, status in (("lots", "invalid"), ("", "empty")):
        verdict = shown.check(typed)
        assert verdict.status == status and not verdict.graded
        try:
            auto_rating(verdict)
        except ValueError:
            pass
        else:
            raise AssertionError("an ungraded answer must not map to a rating")
    assert store.reviews() == [] and s.remaining == 1
    assert auto_rating(Verdict("wrong")) == srs.AGAIN and auto_rating(Verdict("right")) == srs.GOOD


def test_an_exercise_that_cannot_be_generated_is_shown_as_unavailable(tmp_path, store, monkeypatch):
    from tutor.exercises import generators

    course = write_course(tmp_path / "lessons", {"e.md": lesson("e", 1, [
        card("e.count", "exercise", exercise="rnn_params")])})

    def broken(seed):
        raise ImportError("engine.RNN is not there yet")

    monkeypatch.setattr(generators, "rnn_params", broken)
    shown = make_session(course, store, lesson=course.find("e")).show()
    assert shown.mode == "unavailable" and "engine.RNN is not there yet" in shown.question


def test_choices_are_shuffled_per_showing_and_checked_by_text(tmp_path):
    course = write_course(tmp_path / "lessons", {"c.md": lesson("c", 1, [card(
        "c.pick", "choice", front="Pick B", choice=["A", "B", "C", "D"], answer="B")])})
    c = course.lessons[0].cards[0]
    orders = {present(c, seed).choices for seed in range(20)}
    assert len(orders) > 3
    for seed in range(5):
        shown = present(c, seed)
        assert shown.check_choice(shown.choices.index("B")).right
        assert shown.check_choice(shown.choices.index("A")).status == "wrong"


def test_cloze_is_shown_with_a_blank(tmp_path):
    course = write_course(tmp_path / "lessons", {"c.md": lesson("c", 1, [card(
        "c.blank", "cloze", text="Cost is {{O(n²)|O(n^2)}} in n.", back="Quadratic.")])})
    shown = present(course.lessons[0].cards[0], 0)
    assert shown.question == "Cost is _____ in n." and shown.alternatives == ("O(n²)", "O(n^2)")
    assert shown.check("o(n^2)").right and shown.check("O(n)").status == "wrong"
    assert "Cost is O(n²) in n." in shown.back and "Quadratic." in shown.back


def test_grade_preview_is_unfuzzed_and_records_nothing(tmp_path, store):
    course = course_of(tmp_path, n_a=1)
    plan = build_plan(course, store, T0, new_per_day=20, lesson=course.find("a"), tz=UTC)
    s = Session(store, srs.Scheduler(0.9, fuzz=True), plan, clock=lambda: T0)
    s.grade(srs.EASY)                                    # a.0 in review, about 8 days
    later = T0 + timedelta(days=12)
    plan = build_plan(course, store, later, new_per_day=20, lesson=course.find("a"), tz=UTC)
    s = Session(store, srs.Scheduler(0.9, fuzz=True), plan, clock=lambda: later)
    assert ids(s) == ["a.0"]
    previews = [s.preview() for _ in range(5)]
    assert all(p == previews[0] for p in previews)       # fuzz would make these differ
    exact = Session(store, srs.Scheduler(0.9, fuzz=False), plan, clock=lambda: later).preview()
    assert previews[0] == exact and exact[srs.AGAIN] < exact[srs.HARD] < exact[srs.GOOD] < exact[srs.EASY]
    assert len(store.reviews()) == 1


def test_a_review_is_timed_inside_its_write_transaction(tmp_path, store):
    """Another process may review the same card while this one waits for the lock: the time
    read before the wait would put this review before that one in the log, though it was
    applied after it (test_two_processes.py caught it under load)."""
    course = course_of(tmp_path, n_a=2)
    plan = build_plan(course, store, T0, new_per_day=20, lesson=course.find("a"), tz=UTC)
    ticks, inside = [], []

    def clock():
        ticks.append(T0 + timedelta(seconds=len(ticks)))
        if store.conn.in_transaction:
            inside.append(ticks[-1])
        return ticks[-1]

    s = Session(store, srs.Scheduler(0.9, fuzz=False), plan, clock=clock)
    s.grade(srs.GOOD)
    s.grade(srs.GOOD)
    assert [r.reviewed_at for r in store.reviews()] == inside and len(inside) == 2


def test_quiz_settings_parse_with_the_params_own_parser():
    from tutor.params import ParamError
    from tutor.quiz import settings

    assert settings.parse_new_per_day(" 20 ") == 20 and settings.parse_retention("0.85") == 0.85
    assert settings.parse_bool("off") is False
    for parse, text in ((settings.parse_new_per_day, "1" * 400), (settings.parse_retention, "1e400"),
                        (settings.parse_retention, "nan"), (settings.parse_new_per_day, "2.5")):
        try:
            parse(text)
        except ValueError as exc:
            assert isinstance(exc, ParamError) or "must lie between" in str(exc)
        else:
            raise AssertionError(text)
    assert settings.RETENTION_PARAM.min == settings.RETENTION_RANGE[0]


def test_an_orientation_lessons_cards_are_a_run_through_never_scheduled(tmp_path, store):
    from tutor.course.rules import house_rules
    from tutor.quiz.queue import card_lessons

    welcome = lesson("w", 0, [card("w.keys"), card("w.more")]).replace("minutes: 5", "kind: orientation\nminutes: 5")
    course = write_course(tmp_path / "lessons", {"w.md": welcome, "a.md": lesson("a", 1, [card("a.0")])})
    w = course.find("w")
    assert w.orientation and not course.find("a").orientation
    assert not any("cards" in str(p) for p in house_rules(w))           # no 8-card rule for a run-through
    store.mark_done("w", 1)
    store.mark_done("a", 1)
    assert ids(make_session(course, store)) == ["a.0"]                   # the daily quiz: subject cards only
    assert "w.keys" not in card_lessons(course)
    assert new_available(course, store, T0, 20) == 1
    for _ in range(2):                                                   # each run-through asks them all again
        s = make_session(course, store, lesson=w)
        assert ids(s) == ["w.keys", "w.more"]
        while not s.finished:
            s.show()
            assert s.grade(srs.GOOD).due is None
    assert store.cards(["w.keys", "w.more"]) == {} and store.introduced_since(T0 - timedelta(days=1)) == 0


def test_a_lesson_kind_must_be_known(tmp_path):
    from tutor.course import read_lesson

    path = tmp_path / "x.md"
    path.write_text(lesson("x", 1, [card("x.0")]).replace("minutes: 5", "kind: tour\nminutes: 5"), encoding="utf-8")
    assert any("kind must be one of lesson, orientation, got 'tour'" in str(p) for p in read_lesson(path)[1])
