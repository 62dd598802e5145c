"""z lays the screen out once: no widget's new size asks Textual for a second pass.

Textual's maximised view sets `align` on the screen, and a change of align
makes every widget lay out again; a widget given a new size sets its virtual
size as a reactive that asks for another layout. Either doubled the cost of
the z key (measured: 60-70 ms, 40-45 ms without them).
"""
from __future__ import annotations

from textual.widget import Widget

from tutor.screens.lesson import LessonScreen


async def test_z_asks_for_no_second_layout(make_app, monkeypatch):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        lesson = app.course.find("lstm-gru")
        index = next(i for i, s in enumerate(lesson.steps) if s.scene and s.scene.id == "gates")
        screen = LessonScreen(lesson, index)
        await app.push_screen(screen)
        if screen.step.predict is not None:
            screen.action_predict(0)
        for _ in range(200):
            await pilot.pause(0.02)
            if screen.player.complete:
                break
        await pilot.pause(0.2)
        asked: list[str] = []
        refresh = Widget.refresh

        def spy(self, *regions, layout=False, **kwargs):
            if layout and self is not screen and self is not screen.player:
                asked.append(type(self).__name__)
            return refresh(self, *regions, layout=layout, **kwargs)

        monkeypatch.setattr(Widget, "refresh", spy)
        for _ in range(2):                 # maximise, then restore
            await pilot.press("z")
            await pilot.pause(0.1)
        assert asked == [], f"laid out again for: {sorted(set(asked))}"
