"""The next step's scene is warmed once this step has settled: no layout for WARM_AFTER.

A warm-up computing in a worker holds the interpreter's lock for most of each
switch interval; started while a step's panels were still being laid out, it
stretched that step's switch from 114 ms to 150-176 ms. An animation that
keeps laying out does not put it off for more than WARM_AT_MOST.
"""
from __future__ import annotations

import time

from tutor.screens import warming
from tutor.screens.lesson import LessonScreen


async def open_before_a_scene(app, pilot) -> LessonScreen:
    lesson = app.course.find("rnn")
    index = next(i for i, s in enumerate(lesson.steps[:-1]) if lesson.steps[i + 1].scene is not None)
    app.open_lesson(lesson, index)
    await pilot.pause()
    return app.screen


async def test_a_screen_still_laying_out_puts_the_warm_up_off(make_app, monkeypatch):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_before_a_scene(app, pilot)
        warmed = []
        monkeypatch.setattr(screen, "warm_next", lambda: warmed.append(time.monotonic()))
        laid_out = screen.laid_out_at = time.monotonic()     # a layout just now
        screen.warm_when_settled(time.monotonic())
        assert warmed == []                                  # put off: WARM_AFTER from that layout
        await pilot.pause(warming.WARM_AFTER * 3)
        assert warmed and min(warmed) >= laid_out + warming.WARM_AFTER * 0.9


async def test_a_screen_that_keeps_laying_out_is_warmed_after_at_most_warm_at_most(make_app, monkeypatch):
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_before_a_scene(app, pilot)
        warmed = []
        monkeypatch.setattr(screen, "warm_next", lambda: warmed.append(True))
        screen.laid_out_at = time.monotonic() + 60     # as if it never stopped laying out
        screen.warm_when_settled(time.monotonic() - warming.WARM_AT_MOST)
        assert warmed == [True]


async def test_a_settled_screen_warms_the_next_scene(make_app, monkeypatch):
    from tutor.scenes.registry import SCENES
    from tutor.widgets.frame_cache import FRAMES, FrameCache

    monkeypatch.setattr(FRAMES, "runs", type(FRAMES.runs)())   # frames earlier tests left would be reused
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_before_a_scene(app, pilot)
        screen.laid_out_at = 0.0
        screen.warm_pending = True
        screen.warm_when_settled(time.monotonic())
        assert not screen.warm_pending
        for _ in range(300):
            if screen.player.warming is None:
                break
            await pilot.pause(0.01)
        nxt = screen.lesson.steps[screen.step_index + 1]
        spec = SCENES[nxt.scene.id]
        assert FRAMES.get(FrameCache.key(spec, spec.resolve(nxt.scene.values))) is not None
