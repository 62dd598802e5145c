"""The command palette (ctrl+p): lessons, steps, scenes and actions, found by typing."""
from __future__ import annotations

from textual.command import CommandList, CommandPalette

from tutor.commands import palette_entries
from tutor.scenes.registry import SCENES
from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen


async def palette(pilot, query: str, wait: int = 60) -> list[str]:
    """Open the palette, type the query, wait for the hits; their texts, best first."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    hits: list[str] = []
    for _ in range(wait):
        await pilot.pause(0.05)
        commands = pilot.app.screen.query_one(CommandList)
        hits = [commands.get_option_at_index(i).hit.text for i in range(commands.option_count)
                if hasattr(commands.get_option_at_index(i), "hit")]
        if hits:
            break
    return hits


async def choose(pilot, query: str) -> list[str]:
    hits = await palette(pilot, query)
    await pilot.press("enter")
    for _ in range(20):
        await pilot.pause(0.05)
        if not isinstance(pilot.app.screen, CommandPalette):
            break
    await pilot.pause()
    return hits


async def test_typing_part_of_a_lesson_title_and_enter_opens_it(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        hits = await choose(pilot, "vanishing and")
        assert hits[0] == "Open lesson: 4 · Vanishing and exploding gradients"
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "vanishing"
        assert app.screen.step_index == 0


async def test_a_step_by_title_opens_that_step_from_inside_another_lesson(make_app):
    app = make_app()
    lstm = app.course.find("lstm-gru")
    step = 2
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_lesson(app.course.find("rnn"))
        await pilot.pause()
        hits = await choose(pilot, lstm.steps[step].title)
        assert hits[0] == f"Lesson {lstm.order} · step {step + 1}: {lstm.steps[step].title}"
        assert isinstance(app.screen, LessonScreen)
        assert (app.screen.lesson.id, app.screen.step_index) == ("lstm-gru", step)
        # the lesson it replaced is gone: esc goes back to the course map
        assert [type(s) for s in app.screen_stack[1:]] == [HomeScreen, LessonScreen]


async def test_a_scene_opens_the_first_step_that_shows_it(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        hits = await choose(pilot, "Scene: " + SCENES["gradient_decay"].title)
        assert hits[0] == "Scene: " + SCENES["gradient_decay"].title
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.step.scene.id == "gradient_decay"
        earlier = [s for s in screen.lesson.steps[:screen.step_index] if s.scene]
        assert all(s.scene.id != "gradient_decay" for s in earlier)


async def test_actions_theme_help_and_quiz(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.current_theme.dark
        await choose(pilot, "theme: switch")
        assert not app.current_theme.dark
        await choose(pilot, "help: keys")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await choose(pilot, "quiz: review")
        assert type(app.screen).__name__ == "QuizScreen"
        await choose(pilot, "home: the course")
        assert isinstance(app.screen, HomeScreen)


async def test_markup_in_the_query_is_plain_text(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for query in ("[/]", "[@click=app.quit]x[/]", "[bold]rnn"):
            await palette(pilot, query, wait=8)   # hits or not, the search has run
            assert app.is_running and isinstance(app.screen, CommandPalette)
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def test_entries_cover_every_lesson_step_and_used_scene(make_app):
    course = make_app().course
    entries = palette_entries(course)
    texts = {e.text for e in entries}
    for lesson in course.lessons:
        assert f"Open lesson: {lesson.order} · {lesson.title}" in texts
        for i, step in enumerate(lesson.steps):
            assert f"Lesson {lesson.order} · step {i + 1}: {step.title}" in texts
    used = {s.scene.id for lesson in course.lessons for s in lesson.steps if s.scene}
    assert {e.text for e in entries if e.kind == "scene"} == {f"Scene: {SCENES[i].title}" for i in used}
    assert {e.action for e in entries if e.kind == "action"} == {"home", "quiz", "help", "settings", "toggle_theme"}
