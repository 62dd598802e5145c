"""Resize sweeps: every screen from 200×60 down to 20×8 and back, while animating.

No size may raise. At the smallest size the app shows a "terminal too small"
message instead of squeezing a layout into 20×8, and once there is room
again the screen comes back as it was.
"""
from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static

from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.prompt import TextPrompt
from tutor.screens.quiz import QuizScreen
from tutor.screens.settings import SettingsScreen

from .driving import leave_inputs_and_quit, open_lesson_step, shipped_app

DOWN = [(200, 60), (140, 45), (110, 36), (109, 35), (80, 24), (60, 20), (40, 12), (39, 12), (40, 11),
        (30, 10), (20, 8)]
SWEEP = DOWN + DOWN[-2::-1]

# one lesson step per kind of panel: grid, bars, chart, table and lines; and a training run going on
SCENE_STEPS = ["rnn_unroll", "gradient_decay", "tanh_chart", "bag_of_words", "train_long_dependency"]


def visible_text(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static) if widget.display)


def first_step(course, scene_id: str):
    for lesson in course.lessons:
        for i, step in enumerate(lesson.steps):
            if step.scene is not None and step.scene.id == scene_id:
                return lesson, i
    raise AssertionError(f"no lesson step shows {scene_id}")


async def open_target(pilot, target: str):
    app = pilot.app
    if target.startswith("lesson:"):
        lesson, step = first_step(app.course, target.split(":", 1)[1])
        await open_lesson_step(pilot, lesson, step)
    elif target == "quiz":
        app.open_quiz(app.course.find("rnn"))
    elif target == "help":
        await open_lesson_step(pilot, *first_step(app.course, "rnn_unroll"))
        await pilot.pause()
        app.action_help()
    elif target == "prompt":
        await open_lesson_step(pilot, *first_step(app.course, "rnn_unroll"))
        await pilot.pause()
        if app.screen.awaiting_prediction:      # commit it first: the controls wait for the answer
            await pilot.press(*(("1", "enter") if app.screen.step.predict.kind == "number" else ("1",)))
            await pilot.pause()
        app.screen.action_edit()
    elif target == "palette":
        await pilot.press("ctrl+p")
        await pilot.press(*"rnn")
    elif target == "settings":
        await pilot.press("s")
    await pilot.pause()
    return app.screen


TARGETS = {"home": HomeScreen, "quiz": QuizScreen, "help": HelpScreen, "prompt": TextPrompt,
           "palette": CommandPalette, "settings": SettingsScreen, **{f"lesson:{s}": LessonScreen for s in SCENE_STEPS}}


@pytest.mark.slow
@pytest.mark.parametrize("target", list(TARGETS))
async def test_resize_sweep(tmp_path, target):
    app = shipped_app(tmp_path, animate=True)
    async with app.run_test(size=SWEEP[0]) as pilot:
        await pilot.pause()
        screen = await open_target(pilot, target)
        assert isinstance(screen, TARGETS[target])
        for width, height in SWEEP:
            await pilot.resize_terminal(width, height)   # and waits for the app to settle
            assert app.is_running, (width, height)
            assert app.size == (width, height)
            if (width, height) == (20, 8):
                text = visible_text(app)
                assert "too small" in text.lower(), text
                assert screen not in (app.screen,), "the screen is squeezed into 20×8"
        await pilot.pause()
        assert app.screen is screen, "the screen did not come back after the terminal grew"
        if target == "prompt":
            assert app.screen.query_one(Input).value == "The cat sat on the mat"
        await leave_inputs_and_quit(pilot)
    app.store.close()


async def test_starting_in_a_tiny_terminal_says_so_and_recovers(tmp_path):
    app = shipped_app(tmp_path, animate=False)
    async with app.run_test(size=(20, 8)) as pilot:
        await pilot.pause()
        assert "too small" in visible_text(app).lower()
        await pilot.press("down", "enter")   # keys meant for the hidden course map do nothing harmful
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await leave_inputs_and_quit(pilot)
    app.store.close()
