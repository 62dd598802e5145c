"""A step switch lays the screen out once, and a row of panels chooses side by side or stacked as it is laid out.

Each layout pass over the screen cost 10-30 ms and a paint, and each pass
after the first waited for Textual's next tick: the slowest first visits of
a step took 110-180 ms in four or five passes. These tests count the passes
(the screen's layout signal) from the step change until the step is shown.
"""
from __future__ import annotations

import numpy as np
import pytest
from textual.app import App

from tutor.frames import Frame, Grid, Row, frozen
from tutor.screens.lesson import LessonScreen
from tutor.widgets.heatmap import Heatmap
from tutor.widgets.scene_view import RowView, SceneView

# Steps whose scene brings new kinds of panels (a row of grids, grids wider than their
# share with their own scrollbar, a frame taller than the view): each was 3-5 passes.
STEPS = [("qkv", "Stage 4: mixing the values"), ("multi-head", "Measured, and learned"),
         ("language-models", "A cell that means something"), ("lstm-gru", "Which gate does what"),
         ("vanishing", "Clipping exploding gradients")]


async def scene_shown(pilot, screen) -> None:
    """Until the scene has all its frames (3 s at most), and they are laid out and drawn."""
    for _ in range(300):
        if screen.player.complete and screen.player.frames:
            break
        await pilot.pause(0.01)
    for _ in range(4):
        await pilot.pause(0.02)


async def passes_to_show(pilot, screen) -> int:
    """Layout passes from the next step's switch until its scene is on screen and idle."""
    passes = []
    screen.screen_layout_refresh_signal.subscribe(screen, lambda _s: passes.append(1))
    try:
        screen.action_next()
        await scene_shown(pilot, screen)
    finally:
        screen.screen_layout_refresh_signal.unsubscribe(screen)
        screen.screen_layout_refresh_signal.subscribe(screen, screen.note_layout)
    return len(passes)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("lesson_id, title", STEPS, ids=[lid for lid, _ in STEPS])
async def test_a_steps_first_visit_lays_the_screen_out_once(make_app, lesson_id, title, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        lesson = app.course.find(lesson_id)
        index = next(i for i, s in enumerate(lesson.steps) if s.title == title)
        app.open_lesson(lesson, index - 1)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        screen.warm_next()       # the next step's frames computed, as a reader's pause allows
        for _ in range(300):
            await pilot.pause(0.01)
            if screen.player.warming is None:
                break
        assert await passes_to_show(pilot, screen) == 1
        assert screen.step.title == title and screen.query(".panel")


def grid(columns: int) -> Grid:
    labels = tuple(f"c{i}" for i in range(columns))
    return Grid("g", frozen(np.zeros((3, columns))), ("a", "b", "c"), labels, -1, 1)


class Host(App):
    def compose(self):
        yield SceneView()


async def test_a_row_is_side_by_side_where_its_grids_fit_their_share_and_stacked_where_not():
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one(SceneView).frame = Frame((Row((grid(8), grid(8))),))
        await pilot.pause()
        await pilot.pause()
        left, right = app.query(Heatmap)
        assert left.region.y == right.region.y and right.region.x > left.region.right
        assert not app.query_one(RowView).stacked
        await pilot.resize_terminal(30, 30)      # narrower than two grids side by side
        await pilot.pause()
        await pilot.pause()
        left, right = app.query(Heatmap)
        assert app.query_one(RowView).stacked
        assert left.region.x == right.region.x and right.region.y > left.region.bottom
        assert left.region.width == right.region.width == app.query_one(RowView).region.width


async def test_the_screen_is_never_held_longer_than_hold_at_most():
    import asyncio

    from tutor.widgets.one_update import HOLD_AT_MOST

    app = Host()
    async with app.run_test() as pilot:
        view = app.query_one(SceneView)
        never = asyncio.Event()
        view.one_update.hold(never.wait)          # a mount that never ends
        assert app._batch_count == 1
        await pilot.pause(HOLD_AT_MOST * 2)
        assert app._batch_count == 0              # drawn anyway
        view.one_update.hold(never.wait)
        await view.remove()                       # gone while holding: released
        assert app._batch_count == 0


@pytest.mark.parametrize("cached", [True, False], ids=["frames-at-hand", "frames-computed"])
async def test_an_answered_prediction_is_scrolled_into_view_once_the_scene_is_laid_out(make_app, cached):
    """At 80×24 the answer shows at the top of the text pane, whether the scene's frames were
    at hand (the screen held while its panels mount) or computed after the answer."""
    from tutor.scenes.registry import SCENES
    from tutor.widgets.frame_cache import FRAMES, FrameCache
    from tutor.widgets.number_predict import NumberPredict

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = app.course.find("decoding")
        index = next(i for i, s in enumerate(lesson.steps) if s.predict and s.predict.kind == "number")
        step = lesson.steps[index]
        spec = SCENES[step.scene.id]
        key = FrameCache.key(spec, spec.resolve(step.scene.values))
        FRAMES.runs.pop(key, None)
        if cached:
            FRAMES.put(key, list(spec.frames(spec.resolve(step.scene.values))))
        app.open_lesson(lesson, index)
        await pilot.pause()
        screen = app.screen
        await pilot.press("1", "enter")     # any guess: graded, then the scene runs
        await scene_shown(pilot, screen)
        text, answer = screen.query_one("#text"), screen.query_one(NumberPredict)
        assert text.scroll_y > 0
        assert answer.region.y == text.region.y
