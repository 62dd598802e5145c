"""Every panel of every lesson step can be read whole at 80×24 and 120×40.

The steps come from the lesson files. At each one the scene is shown (a
prediction is committed first), animation off, and each panel must be whole
on screen as shown, maximised, or maximised and paged (panels_on_screen).
"""
from __future__ import annotations

import pytest

from tutor.course import load_course
from tutor.paths import lessons_dir
from tutor.scenes.registry import SCENES
from tutor.screens.lesson import LessonScreen

from .panels_on_screen import panels_seen

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
CASES = [pytest.param(lesson.id, size, id=f"{lesson.id}-{size}")
         for lesson in load_course([lessons_dir()])[0].lessons for size in SIZES]


async def settle(pilot, screen) -> None:
    player = screen.player
    for _ in range(600):
        if player.complete and player.frames:
            break
        await pilot.pause(0.02)
    assert player.complete and player.frames, f"step {screen.step_index + 1}: the scene did not finish"
    for _ in range(3):        # the frame's panels mount, then lay out
        await pilot.pause(0.02)


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id, size", CASES)
async def test_every_panel_is_whole_in_one_view(make_app, lesson_id, size):
    app = make_app()
    problems = []
    async with app.run_test(size=SIZES[size]) as pilot:
        lesson = app.course.find(lesson_id)
        app.open_lesson(lesson, 0)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        for index, step in enumerate(lesson.steps):
            assert screen.step_index == index
            if step.predict is not None:
                await pilot.press("1")
                if step.predict.kind == "number":      # typed, then enter: graded, and the scene runs
                    await pilot.press("enter")
            if step.scene is not None:
                training = next((p for p in SCENES[step.scene.id].params if p.name == "steps"), None)
                if training is not None:   # a training scene: its fewest steps draw the same panels, sooner
                    screen.player.set_value("steps", training.min)
                await settle(pilot, screen)
                names, seen = await panels_seen(pilot, screen)
                assert names, f"step {index + 1}: no panels"
                problems += [f"step {index + 1} {step.title!r}: {name} is never whole"
                             for i, name in enumerate(names) if i not in seen]
            await pilot.press("right")
            await pilot.pause()
    assert not problems, "\n".join(problems)
