"""Key fuzzing: thousands of seeded random keys on every screen, animations running.

Each test keeps one screen on top (home, a lesson step, the quiz, help, the
value prompt, the command palette, the quiz settings): before every burst of keys it goes back
there if the keys led elsewhere, so each screen gets its share. The keys
include escape, ctrl+p, tab, enter, arrows, brackets and letters; `q` is held
back and pressed at the end, after esc has closed any modal or input, and the
app must exit cleanly. A palette command may quit the app midway (Quit is a
command): that is a clean exit, and the fuzzing goes on in a fresh app.

A scene that stops with an error is caught by the lesson screen and shown as
a message, so the app survives it; the tests still fail on one, as a bug,
unless the scene's module is simply not written yet.
"""
from __future__ import annotations

import importlib.util
import random
import re

import pytest
from textual.command import CommandPalette

from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.prompt import TextPrompt
from tutor.screens.quiz import QuizScreen
from tutor.screens.settings import SettingsScreen
from tutor.widgets.scene_view import SceneView

from .driving import burst, leave_inputs_and_quit, open_lesson_step, pop_to_home, random_keys, shipped_app

KEYS_PER_SCREEN = 400      # seven screens: 2,800 keys in all
BATCH = 8
SIZE = (100, 30)
# keys that do something on that screen, pressed more often so the screen gets past its first state
FAVOURITES = {"quiz": ["space", "enter", "1", "2", "3", "4", "s"],
              "settings": ["up", "down", "left_square_bracket", "right_square_bracket", "e", "enter"],
              "lesson": ["right", "left", "space", "p", "r", "c", "left_square_bracket",
                         "right_square_bracket", "1", "2"]}


async def open_lesson(pilot, rng, *, with_params: bool = False) -> LessonScreen:
    course = pilot.app.course
    steps = [(lesson, i) for lesson in course.lessons for i, step in enumerate(lesson.steps)
             if not with_params or step.scene is not None]
    lesson, step = rng.choice(steps)
    return await open_lesson_step(pilot, lesson, step)


async def goto(pilot, target: str, rng: random.Random) -> None:
    """Put the target screen on top (again) if the last keys led away from it."""
    app = pilot.app
    screen = app.screen
    if target == "home":
        if not isinstance(screen, HomeScreen):
            await pop_to_home(pilot)
    elif target == "lesson":
        if not isinstance(screen, LessonScreen) or rng.random() < 0.1:
            await open_lesson(pilot, rng)
    elif target == "quiz":
        if not isinstance(screen, QuizScreen) or screen.phase == "over":
            await pop_to_home(pilot)
            app.open_quiz(rng.choice(app.course.lessons))
    elif target == "help":
        if not isinstance(screen, HelpScreen):
            if rng.random() < 0.5:
                await open_lesson(pilot, rng)
            else:
                await pop_to_home(pilot)
            await pilot.pause(0.02)
            app.action_help()
    elif target == "prompt":
        if not isinstance(screen, TextPrompt):
            lesson_screen = await open_lesson(pilot, rng, with_params=True)
            lesson_screen.player.selected = rng.randrange(len(lesson_screen.spec.params))
            lesson_screen.action_edit()
    elif target == "palette":
        if not isinstance(screen, CommandPalette):
            if rng.random() < 0.5:
                await open_lesson(pilot, rng)
            else:
                await pop_to_home(pilot)
            await pilot.pause(0.02)
            app.action_command_palette()
    elif target == "settings":
        if not isinstance(screen, SettingsScreen):
            await pop_to_home(pilot)
            app.action_settings()
    await pilot.pause(0.02)


def scene_failure(app) -> str | None:
    """The message of a scene that stopped with an error, unless its module does not exist yet."""
    for screen in app.screen_stack:
        if not isinstance(screen, LessonScreen):
            continue
        views = [view for view in screen.query(SceneView) if view.is_mounted]   # not while composing
        status = views[0].status if views else ""
        if not status:
            continue
        missing = re.search(r"No module named '(tutor\.scenes\.\w+)'", status)
        if missing and importlib.util.find_spec(missing.group(1)) is None:
            continue
        return f"{screen.lesson.id} step {screen.step_index + 1}: {status}"
    return None


def lost_course_map(app) -> str | None:
    """Keys must never close the course map: below it is only Textual's blank default screen."""
    if not any(isinstance(screen, HomeScreen) for screen in app.screen_stack):
        return f"the course map was closed: {app.screen_stack}"
    return None


@pytest.mark.slow
@pytest.mark.parametrize("target", ["home", "lesson", "quiz", "help", "prompt", "palette", "settings"])
async def test_random_keys_on_every_screen(tmp_path, monkeypatch, target):
    monkeypatch.setenv("HOME", str(tmp_path))    # a palette "Screenshot" lands in the test's directory
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    monkeypatch.chdir(tmp_path)
    rng = random.Random(f"tutor-fuzz-{target}")
    sent, sessions, failures, reviewed = 0, 0, [], 0
    while sent < KEYS_PER_SCREEN:
        sessions += 1
        assert sessions <= 5, "the app kept exiting"
        app = shipped_app(tmp_path, animate=True)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            while sent < KEYS_PER_SCREEN and app.is_running:
                await goto(pilot, target, rng)
                keys = random_keys(rng, BATCH, FAVOURITES.get(target, []))
                await burst(pilot, keys)
                sent += len(keys)
                failure = app.is_running and (scene_failure(app) or lost_course_map(app))
                if failure and failure not in failures:
                    failures.append(failure)
            if app.is_running:
                await leave_inputs_and_quit(pilot)
        assert app.return_code == 0
        if target == "quiz":
            reviewed += len(app.store.reviews())
        app.store.close()
    assert not failures, failures
    if target == "quiz":
        assert reviewed > 10, "the keys hardly answered any card"


@pytest.mark.parametrize("keys", [["enter", "enter"], ["enter", "z"], ["enter", "escape", "enter"],
                                  ["z", "escape", "enter", "z"], ["s", "s"], ["s", "escape"], ["s", "z"],
                                  ["s", "e", "escape", "s"], ["ctrl+p", "enter", "enter", "enter"],
                                  ["s", "e", "enter", "enter", "enter"]], ids="-".join)
async def test_keys_typed_ahead_while_a_screen_opens(tmp_path, keys):
    """Keys that arrive together (typed ahead while the app is busy, a slow link, key repeat).

    On the course map, enter twice in one read opens a lesson, then opens it
    again: TutorApp.open_lesson -> go_home pops the first LessonScreen before
    it has mounted, and its on_mount -> show_step -> query_one("#markdown")
    raises NoMatches (tutor/screens/lesson.py). Enter then z does the same to
    QuizScreen.on_mount -> show_card -> set_face -> query_one(CardView).
    s then s (or esc) closes the quiz settings before they mount.
    Enter three times in the palette, or in a value prompt, once selected
    twice, and Textual's dismiss popped the screens below: the course map
    itself, leaving a blank app that still answered q (tutor/commands.py,
    tutor/screens/prompt.py).
    """
    app = shipped_app(tmp_path, animate=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, keys, settle=0.3)
        assert app.is_running, keys
        assert any(isinstance(screen, HomeScreen) for screen in app.screen_stack), app.screen_stack
        await leave_inputs_and_quit(pilot)
    app.store.close()


async def test_keys_that_reach_a_screen_before_it_is_built_do_nothing(tmp_path):
    """A screen's bindings answer as soon as it is pushed, before it mounts: keys
    typed ahead of it (found by the fuzzing: escape, enter, then minus on the course
    map) ran LessonScreen.action_speed -> query_one(Controls) -> NoMatches."""
    app = shipped_app(tmp_path, animate=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # a step showing its scene (no prediction holding it back): the scene keys act once built
        lesson, index = next((lesson, i) for lesson in app.course.lessons for i, step in enumerate(lesson.steps)
                             if step.scene is not None and step.predict is None)
        screens = {LessonScreen(lesson, index): ["speed(-1)", "play", "restart", "next_control", "adjust(1)",
                                             "edit", "next", "back", "predict(0)", "scroll_text(1)"],
                   SettingsScreen(app.store): ["select(1)", "change(1)", "type", "close"]}
        for screen, actions in screens.items():
            app.push_screen(screen)
            for action in actions:
                assert await app.run_action(action, screen) is False, action
            await pilot.pause()
            assert screen.built and await app.run_action(actions[0], screen)
            await pop_to_home(pilot)
        app.open_quiz(lesson)
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        for action in ("reveal", "rate(3)", "choose(0)", "next", "skip", "end", "close"):
            assert await app.run_action(action, quiz) is False, action
        await pilot.pause()
        assert quiz.built and app.is_running
        await leave_inputs_and_quit(pilot)
    app.store.close()


async def test_a_query_typed_as_the_palette_closes_starts_no_search(tmp_path):
    """Keys of one burst: esc (or enter on a command) closes the palette, and a
    character typed just before it still reaches its input. Textual started a
    search for it, which later looked for the palette's removed list:
    NoMatches('CommandList') in a worker, and the app stopped (found by the
    fuzzing; the crash itself needs the search's results to land after the
    removal, so this test watches for the search being started at all)."""
    from textual.command import CommandInput
    from textual.widgets import Input

    app = shipped_app(tmp_path, animate=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_command_palette()
        await pilot.pause(0.2)
        palette = app.screen
        searches: list[str] = []
        palette._gather_commands = searches.append   # what Textual's Input.Changed handler calls
        palette.query_one(CommandInput).value = "rnn"   # while open: a search, as usual
        await pilot.pause(0.05)
        query = palette.query_one(CommandInput)
        app.pop_screen()                             # esc, or a command, closed it; then the
        palette.post_message(Input.Changed(query, "rnn?"))   # character typed before that lands
        await pilot.pause(0.3)
        assert not palette.is_attached
        assert searches == ["rnn"]
        assert app.is_running and isinstance(app.screen, HomeScreen)
        await leave_inputs_and_quit(pilot)
    app.store.close()


async def test_palette_page_keys_right_after_opening(tmp_path):
    """pageup/pagedown within ~20 ms of ctrl+p (key repeat, a paste, a slow link batching keys).

    Textual 8.2.8's CommandList pages through lines it has not laid out yet and
    raises KeyError (textual/widgets/_option_list.py, OptionList._move_page:
    `self._index_to_line[self.highlighted or 0]`); a bare Textual app crashes too.
    """
    for keys in (["ctrl+p", "pagedown"], ["ctrl+p", "down", "pageup"], ["ctrl+p", "r", "n", "pagedown"]):
        app = shipped_app(tmp_path, animate=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await burst(pilot, keys, settle=0.3)
            assert app.is_running, keys
            await leave_inputs_and_quit(pilot)
        app.store.close()


async def test_the_theme_palette_pages_safely_too(tmp_path):
    """The palette's "Theme" command opens a second palette (Textual's search_themes); it is
    the tutor's too, so pagedown right after it opens cannot crash the app (the key fuzz
    found Textual's plain one did)."""
    from tutor.commands import TutorPalette

    app = shipped_app(tmp_path, animate=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.search_themes()
        await burst(pilot, ["pagedown", "pageup", "pagedown"], settle=0.3)
        assert app.is_running and isinstance(app.screen, TutorPalette)
        await leave_inputs_and_quit(pilot)
    app.store.close()


async def test_settings_closed_before_they_mount(tmp_path):
    """The quiz settings opened and closed in the same moment (a key burst, then going home)."""
    app = shipped_app(tmp_path, animate=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_settings()
        app.pop_screen()
        await pilot.pause()
        assert app.is_running
        await leave_inputs_and_quit(pilot)
    app.store.close()
