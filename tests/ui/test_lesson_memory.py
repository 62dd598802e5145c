"""A lesson left is a lesson forgotten: its screen, widgets and drawn lines are freed.

Textual keeps a signal's subscribers in a WeakKeyDictionary whose callbacks hold
the subscriber, and memoises StylesCache.get_inner_outer with each widget's
cache in the key; either would keep every lesson a learner ever opened in
memory (15 lessons walked held 130,000 cached objects before this was fixed).
"""
from __future__ import annotations

import gc
import weakref

from textual._styles_cache import StylesCache

from tutor.screens.lesson import LessonScreen
from tutor.widgets.panel_view import PanelView


async def _visit(app, pilot, lesson_id: str, step: int) -> tuple[weakref.ref, list[weakref.ref]]:
    """Open a lesson at a chart step, let its scene finish, leave; weak references to what it drew."""
    lesson = next(lesson for lesson in app.course.lessons if lesson.id == lesson_id)
    screen = LessonScreen(lesson, step)
    await app.push_screen(screen)
    if screen.step.predict is not None:
        screen.action_predict(0)              # the scene waits for a prediction
    for _ in range(100):
        await pilot.pause(0.05)
        if screen.player.complete:
            break
    panels = [weakref.ref(p) for p in screen.query(PanelView)]
    app.pop_screen()
    await pilot.pause()
    return weakref.ref(screen), panels


async def test_a_left_lesson_is_freed_with_its_panels(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first, panels = await _visit(app, pilot, "vanishing", 3)
        assert panels, "the step drew no panel"
        await _visit(app, pilot, "rnn", 1)    # the learner goes on to another lesson
        gc.collect()
        assert first() is None, "the first lesson's screen outlived it"
        assert all(p() is None for p in panels)
        assert StylesCache.get_inner_outer.cache_info().currsize < 200
