"""Snapshots of every screen at 80×24 and 120×40, animation off, on a fresh store.

The SVGs live in __snapshots__/test_snapshots/. After a deliberate change to
what a screen shows, rewrite them with

    .venv/bin/python -m pytest tests/snapshots --snapshot-update

and look at every changed one before committing it (rsvg-convert x.svg -o x.png).

Lesson steps are chosen one per kind of panel (grid, bars, chart, table and
styled lines, side-by-side rows, a training run's progress) among scenes whose
numbers do not depend on timing, on steps without a prediction or with a number
prediction typed in first, so the scene is showing. The training run is seeded, float64, and shown to two or
three digits, so it draws the same on any machine.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from textual.widgets import Input

from tutor.app import TutorApp
from tutor.course import load_course
from tutor.paths import lessons_dir
from tutor.screens.lesson import LessonScreen
from tutor.store import Store
from tutor.widgets.controls import Controls
from tutor.widgets.frame_cache import FRAMES
from tutor.widgets.number_predict import NumberPredict

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)

# name: (lesson id, step index, scene it must show, the number typed for its prediction or None)
STEPS = {
    "grid": ("rnn", 1, "rnn_unroll", None),
    "bars": ("vanishing", 6, "gradient_decay", None),
    "chart": ("vanishing", 4, "tanh_chart", None),
    "table_lines": ("decoding", 5, "beam_search", "390"),
    "rows": ("multi-head", 5, "induction_heads", None),
    "progress": ("lstm-gru", 5, "train_long_dependency", None),
}


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_ANIMATION", "0")
    # Each snapshot computes its scene as it was recorded: frames an earlier test left in
    # the process's frame cache arrive at another moment of the first layout, and an 80×24
    # caption could then keep a two-line height (the bars and chart steps, 1 run in 4).
    monkeypatch.setattr(FRAMES, "runs", {})
    course, problems = load_course([lessons_dir()])
    assert not problems
    store = Store.open(tmp_path / "progress.sqlite3")
    store.set_setting("quiz.fuzz", "off")
    yield TutorApp(course, store, animate=False)
    store.close()


async def show_step(pilot, lesson_id: str, step: int, scene: str, answer: str | None = None) -> None:
    app = pilot.app
    lesson = app.course.find(lesson_id)
    predict = lesson.steps[step].predict
    assert lesson.steps[step].scene.id == scene
    assert predict is None if answer is None else predict.kind == "number"
    screen = LessonScreen(lesson, step)
    await app.push_screen(screen)
    if answer is not None:      # typed and graded first: then the scene runs
        await pilot.press(*answer, "enter")
        for _ in range(400):
            if step in screen.query_one(NumberPredict).results:
                break
            await pilot.pause(0.02)
    for _ in range(400):
        if screen.player.complete and screen.player.frames:
            break
        await pilot.pause(0.02)
    assert screen.player.complete and screen.player.frames, "the scene did not finish"
    for _ in range(3):        # the frame's panels mount, then lay out
        await pilot.pause(0.05)
        await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, app, size):
    assert snap_compare(app, terminal_size=SIZES[size])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", STEPS)
def test_lesson_step(snap_compare, app, kind, size):
    async def run_before(pilot):
        await show_step(pilot, *STEPS[kind])
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_revealed_card(snap_compare, app, size):
    """The rnn lesson's first card, answer shown, with the time until the next review per grade."""
    from tutor.screens.quiz import QuizScreen

    async def run_before(pilot):
        quiz = QuizScreen(app.course, app.store, lesson=app.course.find("rnn"), clock=lambda: NOW,
                          seeds=lambda: 7)
        await app.push_screen(quiz)
        await pilot.pause()
        assert quiz.session.shown.mode == "flip"
    assert snap_compare(app, press=["space"], terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_on_a_lesson(snap_compare, app, size):
    async def run_before(pilot):
        await show_step(pilot, *STEPS["grid"])
    assert snap_compare(app, press=["question_mark"], terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_palette_query(snap_compare, app, size):
    async def run_before(pilot):
        await pilot.press("ctrl+p")
        app.screen.query_one(Input).cursor_blink = False   # a blinking cursor is timing
        await pilot.press(*"gates")
        await pilot.pause(0.5)   # the search is done in a worker
    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_quiz_settings(snap_compare, app, size):
    assert snap_compare(app, press=["s", "down"], terminal_size=SIZES[size])


def test_terminal_too_small(snap_compare, app):
    assert snap_compare(app, terminal_size=(30, 10))


@pytest.mark.parametrize("size", SIZES)
def test_maximised_scene(snap_compare, app, size):
    """z: the gates scene fills the screen, its controls and the key bar still there."""
    async def run_before(pilot):
        await show_step(pilot, "lstm-gru", 2, "gates")
    assert snap_compare(app, press=["z"], terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_focused_grid_cursor(snap_compare, app, size):
    """tab focuses the grid (its edge marked); the cursor cell and its labels stand out, read out below."""
    async def run_before(pilot):
        await show_step(pilot, *STEPS["grid"])
    assert snap_compare(app, press=["tab", "right", "down"], terminal_size=SIZES[size], run_before=run_before)
