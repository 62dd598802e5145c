"""A whole number too large for a float, typed into a scene's control: a message, not a crash."""
from __future__ import annotations

from textual.widgets import Static

from tutor.screens.lesson import LessonScreen
from tutor.screens.prompt import TextPrompt

HUGE = "9" * 310


async def test_a_huge_number_typed_into_a_control_is_refused_with_a_message(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        lesson = next(l for l in app.course.lessons
                      if any(s.scene and s.scene.id == "rnn_unroll" and not s.predict for s in l.steps))
        step = next(i for i, s in enumerate(lesson.steps) if s.scene and s.scene.id == "rnn_unroll" and not s.predict)
        app.open_lesson(lesson, step)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        names = [p.name for p in screen.spec.params]
        for _ in range(names.index("hidden")):
            await pilot.press("c")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("ctrl+a", "ctrl+k", *HUGE, "enter")   # clear, type, apply
        await pilot.pause()
        assert app.is_running and app._exception is None
        assert isinstance(app.screen, TextPrompt)           # still asking
        error = str(app.screen.query_one("#error", Static).render())
        assert "hidden" in error and "finite number" in error
