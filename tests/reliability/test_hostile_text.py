"""Hostile text everywhere a learner can type: scene sentences, quiz answers, palette queries,
quiz settings.

Markup (`[/]`, `[/`, `[@click=app.quit]x[/]`, `[link=…]`), control characters,
right-to-left and combining characters, 10,000-character strings and empty
strings go in the way a learner enters them: pasted into the real input
(a paste is how 10,000 characters or an escape character arrive), then
enter. Each must be shown literally or refused with a message: never run as
an action, never crash, and never handed to the terminal as a control
character (an ESC in what a widget renders reaches the terminal as an
escape sequence: Textual's Content strips only BEL, BS, VT, FF and CR).

The command palette's input is Textual's own: it is checked for crashes and
actions only (Textual's Input draws a pasted ESC as it is; the tutor's own
inputs are held to the same rule as everything else it draws).

Hypothesis draws a few lists of texts per test (each list goes through one
app session, to keep the test quick); the fixed nasty cases always run.
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input, Static

from tutor.screens.lesson import LessonScreen
from tutor.screens.prompt import TextPrompt
from tutor.screens.quiz import QuizScreen
from tutor.widgets.card_view import CardView
from tutor.widgets.controls import Controls
from tutor.widgets.scene_view import SceneView

from ..quiz.helpers import card, lesson, write_course
from .driving import shipped_app

NASTY = [
    "[/]", "[/", "[@click=app.quit]x[/]", "[link=https://example.com]click[/link]", "[b]bold", "[on red]x",
    "$accent [$accent]x[/]", "\\[/]", "]]][[[", "",  "   ", "\t", "a\tb",
    "\x1b]0;pwned\x1b\\", "\x1b[2J\x1b[Hgone", "nul\x00byte", "bell\x07\x08\x7f", "c1\x9b31m",
    "مرحبا بالعالم", "\u202eevil\u202c txt", "שלום world", "e\u0301\u0301\u0301\u0301 zalgo\u0336\u0336",
    "👩‍👩‍👧 🇫🇷 漢字テスト", "\ufeffbom", "x" * 10_000, "word " * 2_000, "a\nb\nc",
]
TEXT = st.text(st.characters(codec="utf-8"), max_size=400) | st.sampled_from(NASTY)
# No shrinking: each example is a whole app session, and the report below names every problem.
SETTINGS = settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    database=None, derandomize=True, phases=[Phase.explicit, Phase.generate])


def controls_in(text: str) -> list[str]:
    """Control characters (other than the newline between lines) in rendered text."""
    return sorted({repr(ch) for ch in text if ch != "\n" and unicodedata.category(ch) == "Cc"})


def check_rendered(problems: list[str], where: str, typed: str, rendered: str) -> None:
    found = controls_in(rendered)
    if found:
        problems.append(f"{where}: {typed[:30]!r} puts control characters {', '.join(found)} on the terminal")


def has_controls(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


@asynccontextmanager
async def fresh_app(course_of=None):
    """The shipped app (or one on course_of(directory)) on a store of its own, running at 100×30."""
    with tempfile.TemporaryDirectory() as home:
        app = shipped_app(Path(home), animate=False)
        if course_of is not None:
            app.course = course_of(Path(home))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            yield app, pilot
        app.store.close()


async def paste_into(pilot, input_widget: Input, text: str, problems: list[str] | None = None) -> str:
    """Clear the input, paste as a terminal does (the app forwards it to the focused input).

    The input may take the first line as it is, or leave out (or refuse) the
    control characters in it; whatever it holds is not drawn with them.
    """
    input_widget.focus()
    input_widget.value = ""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()
    typed, first = input_widget.value, (text.splitlines() or [""])[0]
    assert typed == first or (has_controls(first) and not has_controls(typed)), (
        f"the input changed {first[:40]!r} into {typed[:40]!r}")
    if problems is not None:
        line = "".join(segment.text for segment in input_widget.render_line(0))
        check_rendered(problems, "the input itself", typed, line)
    return typed


# -- scene sentences --------------------------------------------------------------------------

async def type_in_prompt(pilot, text: str, problems: list[str]) -> tuple[TextPrompt, str]:
    """e opens the value prompt; paste the text, enter. Returns the prompt and what it held."""
    await pilot.press("e")
    await pilot.pause()
    prompt = pilot.app.screen
    assert isinstance(prompt, TextPrompt)
    typed = await paste_into(pilot, prompt.query_one(Input), text, problems)
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.is_running
    return prompt, typed


async def enter_sentence(pilot, screen: LessonScreen, text: str, problems: list[str]) -> None:
    app = pilot.app
    prompt, typed = await type_in_prompt(pilot, text, problems)
    if app.screen is prompt:       # refused: the prompt stays, with a message
        error = str(prompt.query_one("#error", Static).render())
        assert error, f"{typed[:40]!r} was neither applied nor refused with a message"
        assert len(typed) > 300 and "at most 300 characters" in error
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        return
    assert app.screen is screen
    assert screen.player.scene_values()["sentence"] == typed
    for _ in range(200):                      # the scene recomputes on the new sentence
        if screen.player.complete and screen.player.frames:
            break
        await pilot.pause(0.02)
    status = screen.query_one(SceneView).status
    assert not status, status                 # the scene took the sentence as data
    shown = str(screen.query_one(Controls).render())
    check_rendered(problems, "scene controls", typed, shown)
    if not has_controls(typed):
        clipped = typed if len(typed) <= 30 else typed[:29] + "…"
        assert f"“{clipped}”" in shown          # literally, markup and all
    caption = screen.player.frames[-1].caption
    if len(typed.split()) > 64:
        assert "Only the first 64" in caption, caption
    check_rendered(problems, "scene caption", typed, caption)


async def sentence_session(texts: list[str]) -> None:
    problems: list[str] = []
    async with fresh_app() as (app, pilot):
        rnn = app.course.find("rnn")
        step = next(i for i, s in enumerate(rnn.steps) if s.scene and s.scene.id == "rnn_unroll")
        screen = LessonScreen(rnn, step)
        await app.push_screen(screen)
        await pilot.pause()
        for text in texts:
            await enter_sentence(pilot, screen, text, problems)
        assert app.is_running and app.screen is screen
    assert not problems, "\n".join(problems)


# -- quiz answers ------------------------------------------------------------------------------

def typed_course(directory: Path):
    cards = [card(f"h.c{i}", "cloze", text=f"Blank {i} is {{{{tanh}}}}.") for i in range(3)]
    cards.append(card("h.ex", "exercise", exercise="rnn_params"))
    return write_course(directory / "lessons", {"h.md": lesson("h", 1, cards, title="Hostile")})


async def answer(pilot, text: str, problems: list[str]) -> None:
    app = pilot.app
    quiz = app.screen
    assert isinstance(quiz, QuizScreen)
    for _ in range(5):                          # move on to a typed card
        if quiz.phase == "ask" and quiz.session.shown and quiz.session.shown.mode == "typed":
            break
        await pilot.press("space" if quiz.phase == "answered" else "s")
        await pilot.pause()
    assert quiz.phase == "ask" and quiz.session.shown.mode == "typed", quiz.phase
    typed = await paste_into(pilot, quiz.query_one("#answer", Input), text, problems)
    reviews = len(app.store.reviews())
    await pilot.press("enter")
    await pilot.pause()
    assert app.is_running and app.screen is quiz
    card_text = str(quiz.query_one(CardView).render())
    feedback = str(quiz.query_one("#feedback", Static).render())
    check_rendered(problems, "quiz card", typed, card_text)
    check_rendered(problems, "quiz feedback", typed, feedback)
    if quiz.phase == "answered":
        assert len(app.store.reviews()) == reviews + 1
        if typed.strip() and not has_controls(typed):
            assert f"You typed: {typed}" in card_text
        if typed.strip():
            assert app.store.reviews()[-1].answer == typed[:500]   # the log keeps it as typed
    else:                                       # not graded: explained, nothing recorded
        assert feedback, f"{typed[:40]!r}: no answer, no message"
        assert len(app.store.reviews()) == reviews
        if typed.strip() and not has_controls(typed):
            assert f"“{typed}”" in feedback


async def quiz_session(texts: list[str]) -> None:
    problems: list[str] = []
    async with fresh_app(typed_course) as (app, pilot):
        app.open_quiz(app.course.find("h"))
        await pilot.pause()
        for text in texts:
            await answer(pilot, text, problems)
        assert app.is_running
    assert not problems, "\n".join(problems)


# -- palette queries ---------------------------------------------------------------------------

async def palette_session(texts: list[str]) -> None:
    async with fresh_app() as (app, pilot):
        for text in texts:
            await pilot.press("ctrl+p")
            await pilot.pause()
            palette = app.screen
            assert isinstance(palette, CommandPalette)
            await paste_into(pilot, palette.query_one(Input), text)
            await pilot.pause(0.05)           # the search runs
            assert app.is_running and app.screen is palette
            await pilot.press("escape")
            await pilot.pause()
            assert app.is_running and not isinstance(app.screen, CommandPalette)


# -- typed quiz settings ------------------------------------------------------------------------

async def settings_session(texts: list[str]) -> None:
    """Each text typed as a retention: refused with a message that shows it literally, nothing saved."""
    from tutor.quiz.settings import QuizSettings
    from tutor.screens.settings import SettingsScreen

    problems: list[str] = []
    async with fresh_app() as (app, pilot):
        app.action_settings()
        await pilot.pause()
        await pilot.press("down")
        for text in texts:
            prompt, typed = await type_in_prompt(pilot, text, problems)
            try:
                accepted = 0.7 <= float(typed) <= 0.99
            except ValueError:
                accepted = False
            if not accepted:                     # refused, with the reason, the text shown as typed
                shown = str(prompt.query_one("#error", Static).render())
                check_rendered(problems, "the settings error", typed, shown)
                assert app.screen is prompt and "desired retention: " in shown, shown
                if typed.strip() and not has_controls(typed):
                    assert repr(typed.strip())[:40] in shown or "lie between" in shown, (typed[:40], shown)
                await pilot.press("escape")
                await pilot.pause()
            assert isinstance(app.screen, SettingsScreen), app.screen
        assert 0.7 <= QuizSettings.load(app.store).retention <= 0.99
    assert not problems, problems


# -- every place, the fixed nasty texts and texts Hypothesis draws ------------------------------

SESSIONS = {"scene sentence": sentence_session, "quiz answer": quiz_session,
            "palette query": palette_session, "typed setting": settings_session}


@pytest.mark.slow
@pytest.mark.parametrize("where", SESSIONS)
def test_nasty_text(where):
    asyncio.run(SESSIONS[where](NASTY))


@pytest.mark.slow
@pytest.mark.parametrize("where", SESSIONS)
@SETTINGS
@given(st.lists(TEXT, min_size=4, max_size=4))
def test_any_text(where, texts):
    asyncio.run(SESSIONS[where](texts))


@pytest.mark.parametrize("text", ["[@click=app.quit]x[/]", "[@click=screen.dismiss]x[/]"])
async def test_markup_actions_in_a_lesson_sentence_stay_text(tmp_path, text):
    """Clicking where the text is drawn does nothing: no link or action was made of it."""
    app = shipped_app(tmp_path, animate=False)
    async with app.run_test(size=(100, 30)) as pilot:
        rnn = app.course.find("rnn")
        step = next(i for i, s in enumerate(rnn.steps) if s.scene and s.scene.id == "rnn_unroll")
        screen = LessonScreen(rnn, step)
        await app.push_screen(screen)
        screen.player.set_value("sentence", text)
        await pilot.pause(0.3)
        await pilot.click(Controls)
        for offset in range(0, 40, 3):
            await pilot.click(Controls, offset=(offset, 0))
        await pilot.pause()
        assert app.is_running and app.screen is screen
    app.store.close()
