"""A numeric prediction in a lesson: typed, graded against the engine, then the scene runs."""
from __future__ import annotations

from textual.widgets import Input, Static

from tutor.screens.lesson import LessonScreen
from tutor.widgets.number_predict import NumberPredict

from ..course.lesson_files import GOOD, NUMBER_PREDICT as BLOCK, write



def _lesson(tmp_path):
    return write(tmp_path, "n.md", GOOD.replace("hidden: 4\n```\n", "hidden: 4\n```\n\n" + BLOCK, 1))


async def _open(pilot):
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    return screen


async def _settle(pilot, widget):
    for _ in range(100):
        await pilot.pause(0.05)
        if not widget.busy and widget.results:
            return
    raise AssertionError("the measure was not computed")


def _text(widget) -> str:
    return str(widget.query_one("#estimate-text", Static).render())


async def test_typed_number_is_graded_and_the_scene_then_runs(make_app, tmp_path):
    app = make_app([_lesson(tmp_path)])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        widget = screen.query_one(NumberPredict)
        assert widget.display and screen.awaiting_prediction and screen.has_class("-no-scene")
        assert not isinstance(screen.focused, Input)      # → still goes on without a guess
        await pilot.press("-", "e", "x", "enter")          # '-' starts the number; then keys are text
        assert isinstance(screen.focused, Input)
        assert screen.step_index == 0 and "not a number" in _text(widget) and not widget.results
        await pilot.press("escape")                        # esc leaves the box, not the lesson
        assert screen.step_index == 0 and app.screen is screen and not isinstance(screen.focused, Input)
        await pilot.press("1")                             # a digit goes back into the box
        entry = screen.query_one("#estimate-input", Input)
        assert isinstance(screen.focused, Input) and entry.value == "-ex1"
        await pilot.press("end", *["backspace"] * 4, "1", "2", "space", "enter")   # one two three × hidden 4
        await _settle(pilot, widget)
        assert widget.results[0].truth == 12.0 and widget.results[0].verdict.right
        assert "You said 12" in _text(widget) and "The engine computed 12" in _text(widget)
        assert not screen.awaiting_prediction and not screen.has_class("-no-scene")
        assert screen.player.spec is not None               # the scene runs now
        await pilot.press("right")
        assert screen.step_index == 1
        await pilot.press("left")                           # coming back shows the answer, not the question
        assert not screen.awaiting_prediction and "Right." in _text(widget)


async def test_enter_twice_shows_the_value_ungraded(make_app, tmp_path):
    app = make_app([_lesson(tmp_path)])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        widget = screen.query_one(NumberPredict)
        await pilot.press("0")
        await pilot.press("backspace", "enter")
        assert "Press enter again" in _text(widget) and not widget.results
        await pilot.press("enter")
        await _settle(pilot, widget)
        assert widget.results[0].verdict.status == "empty" and "Not graded" in _text(widget)
        assert "The engine computed 12" in _text(widget)


async def test_arrow_goes_on_without_a_guess(make_app, tmp_path):
    app = make_app([_lesson(tmp_path)])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        await pilot.press("right")
        assert screen.step_index == 1


async def test_a_burst_of_keys_is_typed_and_submitted(make_app, tmp_path):
    """Keys that arrive in one read (fast typing, a slow link) reach the screen before the box has focus."""
    from textual import events

    app = make_app([_lesson(tmp_path)])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot)
        widget = screen.query_one(NumberPredict)
        for character, key in (("1", "1"), ("2", "2"), ("\r", "enter")):
            app.post_message(events.Key(key, character))
        await _settle(pilot, widget)
        assert widget.results[0].given == "12" and widget.results[0].verdict.right
        assert screen.predictions == {}                     # no digit went to a choice binding
