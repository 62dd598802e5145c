"""The quiz in the app: home counts, every card kind through its keys, summary, lesson offer."""
from __future__ import annotations

from datetime import timedelta

from textual.widgets import Input, OptionList, Static

from tutor import srs
from tutor.quiz.days import utc_now
from tutor.quiz.queue import build_plan
from tutor.quiz.session import Session
from tutor.screens.home import HomeScreen
from tutor.screens.quiz import QuizScreen
from tutor.widgets.card_view import CardView

from .helpers import card, lesson, write_course


def mixed_course(tmp_path):
    return write_course(tmp_path / "lessons", {
        "a.md": lesson("a", 1, [
            card("a.flip", front="What is [b]bold[/b]?", back="Markup [/] shown as text."),
            card("a.pick", "choice", front="Pick the right one", choice=["right", "wrong"], answer="right"),
            card("a.blank", "cloze", text="The update uses {{tanh}}."),
            card("a.ex", "exercise", exercise="rnn_params"),
        ], title="Alpha"),
        "b.md": lesson("b", 2, [card("b.one"), card("b.two")], title="Beta"),
    })


def text_of(screen, selector=None) -> str:
    widget = screen.query_one(CardView) if selector is None else screen.query_one(selector, Static)
    return str(widget.render())


def make_due(course, store, lesson_id, ratings):
    """Review cards an hour ago with Again, so they are due again now."""
    past = utc_now() - timedelta(hours=1)
    plan = build_plan(course, store, past, new_per_day=100, lesson=course.find(lesson_id))
    s = Session(store, srs.Scheduler(0.9, fuzz=False), plan, clock=lambda: past)
    for rating in ratings:
        s.grade(rating)


async def open_quiz(pilot, key="z"):
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(pilot.app.screen, QuizScreen)
    return pilot.app.screen


async def test_home_shows_due_cards_per_lesson_and_in_total(tmp_path, make_app):
    course = mixed_course(tmp_path)
    app = make_app(course)
    make_due(course, app.store, "b", [srs.AGAIN, srs.AGAIN])
    make_due(course, app.store, "a", [srs.AGAIN])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert "1 card due" in str(options.get_option("a").prompt)
        assert "2 cards due" in str(options.get_option("b").prompt)
        assert "3 cards due today" in str(app.screen.query_one("#due", Static).render())
        quiz = await open_quiz(pilot)
        assert sorted(item.card.id for item in quiz.session.queue) == ["a.flip", "b.one", "b.two"]
        assert "3 left" in text_of(quiz, "#top")


async def test_flip_card_reveal_and_every_grade_key(tmp_path, make_app):
    course = mixed_course(tmp_path)
    app = make_app(course, quiz={"lesson": course.find("b"), "limit": None})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen) and quiz.session.remaining == 2
        await pilot.press("3")                       # grading before the reveal does nothing
        assert app.store.reviews() == []
        await pilot.press("space")
        assert quiz.phase == "rate" and "Answer b.one." in text_of(quiz)
        keys = text_of(quiz, "#keys")
        for name in ("1 Again", "2 Hard", "3 Good", "4 Easy"):
            assert name in keys
        footer = {b.binding.description for b in quiz.active_bindings.values()}
        assert {"Again", "Hard", "Good", "Easy"} <= footer and "Show answer" not in footer
        await pilot.press("4")
        await pilot.pause()
        [review] = app.store.reviews()
        assert (review.card_id, review.rating) == ("b.one", srs.EASY)
        await pilot.press("space", "1")              # b.two: Again, so it comes back
        assert [r.rating for r in app.store.reviews()] == [srs.EASY, srs.AGAIN]
        assert quiz.session.remaining == 1 and "1 left" in text_of(quiz, "#top")


async def test_markup_in_cards_and_typed_answers_is_shown_literally(tmp_path, make_app):
    course = mixed_course(tmp_path)
    app = make_app(course, quiz={"lesson": course.find("a"), "limit": None})
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        quiz = app.screen
        assert "What is [b]bold[/b]?" in text_of(quiz)
        await pilot.press("space")
        assert "Markup [/] shown as text." in text_of(quiz)
        await pilot.press("3")
        await pilot.pause()
        # multiple choice: choose the right answer by its number
        shown = quiz.session.shown
        assert shown.mode == "choice"
        await pilot.press(str(shown.choices.index("right") + 1))
        assert quiz.phase == "answered" and "✓ Right" in text_of(quiz)
        assert app.store.reviews("a.pick")[0].rating == srs.GOOD
        await pilot.press("enter")
        await pilot.pause()
        # cloze: whatever is typed is shown back as typed, and a wrong answer is Again
        assert quiz.session.shown.mode == "typed" and "The update uses _____." in text_of(quiz)
        typed = "[@click=app.quit]x[/]"
        answer = quiz.query_one("#answer", Input)
        assert answer.has_focus
        await pilot.press("[", "/", "]")
        assert answer.value == "[/]"        # keys reach the Input, not the screen's bindings
        answer.value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert f"You typed: {typed}" in text_of(quiz) and "Answer: tanh" in text_of(quiz)
        review = app.store.reviews("a.blank")[0]
        assert (review.rating, review.answer) == (srs.AGAIN, typed)


async def test_exercise_wrong_type_is_explained_not_graded_then_checked(tmp_path, make_app):
    course = write_course(tmp_path / "lessons", {"e.md": lesson("e", 1, [
        card("e.count", "exercise", exercise="rnn_params")])})
    app = make_app(course, quiz={"lesson": course.lessons[0], "limit": None})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        quiz = app.screen
        exercise = quiz.session.shown.exercise
        assert exercise is not None and exercise.question.split(" (")[0] in text_of(quiz).replace("\n", " ")
        quiz.query_one("#answer", Input).value = "lots [/]"
        await pilot.press("enter")
        await pilot.pause()
        feedback = text_of(quiz, "#feedback")
        assert "“lots [/]” is not a number" in feedback and "not graded" in feedback
        assert app.store.reviews() == [] and quiz.phase == "ask"
        quiz.query_one("#answer", Input).value = str(exercise.answer)
        await pilot.press("enter")
        await pilot.pause()
        assert quiz.phase == "answered" and "✓ Right" in text_of(quiz)
        assert app.store.reviews("e.count")[0].rating == srs.GOOD


async def test_empty_answer_twice_reveals_as_again(tmp_path, make_app):
    course = mixed_course(tmp_path)
    app = make_app(course, quiz={"lesson": course.find("a"), "limit": None})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        quiz = app.screen
        while quiz.session.shown.mode != "typed":
            await pilot.press("s")
        await pilot.press("enter")
        assert "Nothing typed" in text_of(quiz, "#feedback") and app.store.reviews() == []
        await pilot.press("enter")
        await pilot.pause()
        assert quiz.phase == "answered" and "Answer: tanh" in text_of(quiz)
        assert app.store.reviews()[0].rating == srs.AGAIN


async def test_summary_after_the_last_card_then_back_home(tmp_path, make_app):
    course = mixed_course(tmp_path)
    app = make_app(course)
    app.store.mark_done("b", 1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "2 new cards for today" in str(app.screen.query_one("#due", Static).render())
        quiz = await open_quiz(pilot)
        for _ in range(2):
            await pilot.press("space", "4")
        await pilot.pause()
        assert quiz.phase == "over"
        summary = text_of(quiz, "#summary")
        assert "Reviewed 2 cards, 2 correct (100%)" in summary and "Next card due:" in summary
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "No cards due today" in str(app.screen.query_one("#due", Static).render())


async def test_escape_ends_early_with_a_summary_and_nothing_due_says_why(tmp_path, make_app):
    course = mixed_course(tmp_path)
    app = make_app(course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        quiz = await open_quiz(pilot)
        assert quiz.phase == "over" and "finish a lesson" in text_of(quiz, "#summary")
        await pilot.press("escape")
        await pilot.pause()
        app.store.mark_done("b", 1)
        quiz = await open_quiz(pilot)
        await pilot.press("space", "3", "escape")
        await pilot.pause()
        assert quiz.phase == "over" and "Reviewed 1 card," in text_of(quiz, "#summary")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_finishing_a_lesson_offers_its_new_cards(tmp_path, make_app):
    course = mixed_course(tmp_path)
    app = make_app(course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(OptionList).highlighted = 1      # Beta
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("right")                            # its only step: done
        await pilot.pause()
        assert type(app.screen).__name__ == "CardOffer"
        assert "It has 2 new recall cards" in " ".join(str(s.render()) for s in app.screen.query(Static))
        await pilot.press("y")
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen) and quiz.lesson.id == "b"
        assert [item.card.id for item in quiz.session.queue] == ["b.one", "b.two"]


async def test_limit_and_help(tmp_path, make_app):
    course = mixed_course(tmp_path)
    app = make_app(course, quiz={"lesson": course.find("a"), "limit": 2})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.session.remaining == 2
        await pilot.press("question_mark")
        await pilot.pause()
        rows = " ".join(f"{keys} {what}" for keys, what in app.screen.bindings)
        assert "End quiz" in rows and "Show answer" in rows


def test_the_home_path_does_not_import_the_scheduler():
    import json
    import subprocess
    import sys

    code = ("import tutor.app, tutor.screens.home, tutor.screens.lesson, sys, json; "
            "print(json.dumps(sorted(sys.modules)))")
    mods = set(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                         check=True).stdout))
    assert not {m for m in mods if m.split(".")[0] in ("fsrs", "numpy", "genanki")}


async def test_an_orientation_lesson_offers_a_run_through_that_schedules_nothing(tmp_path, make_app):
    from .helpers import card, lesson, write_course

    welcome = lesson("w", 0, [card("w.keys", "cloze", text="Play or pause with {{p}}.")])
    course = write_course(tmp_path / "orientation", {
        "w.md": welcome.replace("minutes: 5", "kind: orientation\nminutes: 5"),
        "a.md": lesson("a", 1, [card("a.0")])})
    app = make_app(course)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "one-time run-through" in shown and "not scheduled" in shown
        await pilot.press("y")
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        await pilot.press("p", "enter")
        await pilot.pause()
        assert quiz.last.verdict.right and quiz.last.due is None
        assert "not scheduled" in text_of(quiz, "#keys")
        assert app.store.cards(["w.keys"]) == {}
