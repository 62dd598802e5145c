"""Driving the real app hard: fast key bursts and moving to a given screen.

`burst` posts key events the way a terminal driver does (key name plus the
character it types), many at once, then lets the app catch up once. That is
what a fast typist or a paste does, and it is ~50x faster than `pilot.press`,
which waits for the app to go idle after every key.
"""
from __future__ import annotations

import random
import string

from textual import events
from textual.command import CommandPalette
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea

from tutor.app import TutorApp
from tutor.course import load_course
from tutor.paths import lessons_dir
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.store import Store

_CHARS = {"plus": "+", "minus": "-", "enter": "\r"}

# `q` quits from any screen that is not typing into an input: it is kept out of
# the random keys and pressed once at the end to show that the app still answers.
LETTERS = [c for c in string.ascii_lowercase if c != "q"] + list(string.digits)
SPECIAL = ["escape", "ctrl+p", "tab", "shift+tab", "enter", "up", "down", "left", "right", "space",
           "pageup", "pagedown", "home", "end", "backspace", "question_mark", "left_square_bracket",
           "right_square_bracket", "plus", "minus", "ctrl+a", "ctrl+e", "ctrl+w", "ctrl+u"]


def random_keys(rng: random.Random, n: int, favourites: list[str] = ()) -> list[str]:
    """Half special keys, half letters and digits; a third are the screen's own keys, if given."""
    keys = []
    for _ in range(n):
        if favourites and rng.random() < 1 / 3:
            keys.append(rng.choice(favourites))
        else:
            keys.append(rng.choice(SPECIAL) if rng.random() < 0.5 else rng.choice(LETTERS))
    return keys


def character(key: str) -> str | None:
    return _CHARS.get(key, key_to_character(key))


async def burst(pilot, keys: list[str], settle: float = 0.02) -> None:
    """Send keys as a terminal would, back to back, then give the app a moment."""
    app = pilot.app
    for key in keys:
        app.post_message(events.Key(key, character(key)))
    await pilot.pause(settle)


def shipped_app(tmp_path, *, animate: bool = True, store_name: str = "progress.sqlite3") -> TutorApp:
    course, problems = load_course([lessons_dir()])
    assert not problems, problems
    store = Store.open(tmp_path / store_name)
    store.set_setting("quiz.fuzz", "off")
    return TutorApp(course, store, animate=animate)


async def pop_to_home(pilot) -> None:
    """Back to the course map. The command palette is closed with esc, as a user would:
    popping it from outside leaves its search worker running."""
    app = pilot.app
    for _ in range(20):
        if isinstance(app.screen, HomeScreen) or len(app.screen_stack) <= 1:
            return
        if isinstance(app.screen, CommandPalette):
            await pilot.press("escape")
        else:
            app.pop_screen()
            await pilot.pause(0.01)


async def open_lesson_step(pilot, lesson, step: int) -> LessonScreen:
    await pop_to_home(pilot)
    screen = LessonScreen(lesson, step)
    await pilot.app.push_screen(screen)
    return screen


async def leave_inputs_and_quit(pilot) -> None:
    """Close whatever modal or input has the keyboard (esc), then press q: the app must exit."""
    app = pilot.app
    for _ in range(10):
        await pilot.pause()
        if not app.is_running:
            break
        typing = isinstance(app.focused, (Input, TextArea))
        await pilot.press("escape" if typing or isinstance(app.screen, ModalScreen) else "q")
    await pilot.pause()
    assert not app.is_running, f"q did not quit (screen: {app.screen!r}, focus: {app.focused!r})"
    assert app.return_code == 0
