"""Help (?): every key of the current screen, the screen's own first, numbered keys as one row."""
from __future__ import annotations

from textual.widgets import Static

from tutor.screens.help import HelpScreen
from tutor.screens.lesson import LessonScreen

from .bindings import tutor_bindings


def help_text(app) -> str:
    assert isinstance(app.screen, HelpScreen)
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_lesson_help_lists_its_keys_in_order(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.open_lesson(app.course.find("rnn"))
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        lines = [line.split() for line in text.splitlines()]
        assert lines[0] == ["Keys:", "lesson"]
        assert ["right/space", "Next", "step"] in lines and ["1…9", "Prediction", "(by", "its", "number)"] in lines
        assert ["t", "Dark/light", "theme"] in lines
        assert ["ctrl+p", "Find", "lessons,", "steps,", "scenes", "and", "actions"] in lines
        # Textual's generic keys come after the tutor's, in a short paragraph, not a row each
        assert text.index("Next step") < text.index("Dark/light") < text.index("ctrl+p") < text.index("Also:")
        also = " ".join(text[text.index("Also:"):].split())
        assert "tab focus next" in also and "ctrl+q quit" in also
        assert len(text.splitlines()) <= 30       # one key a line, with the caption key (i)
        help_box = app.screen.query_one(Static)
        assert help_box.size.width >= max(len(line) for line in text.splitlines())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)


async def test_home_help_says_what_the_generic_keys_do(make_app):
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = help_text(app)
        assert ["s", "Quiz", "settings"] in [line.split() for line in text.splitlines()]
        also = " ".join(text[text.index("Also:"):].split())
        assert "up previous" in also and "down next" in also and "up up" not in also


def test_every_binding_has_an_id_and_a_description():
    # the key bar, this help screen and the palette all read them; a bare tuple would show a blank
    from textual.binding import Binding

    found = tutor_bindings()
    assert len({owner for owner, _ in found}) >= 6, "the walk found too few screens and widgets"
    for owner, entry in found:
        assert isinstance(entry, Binding), f"{owner}: {entry!r} is not a Binding"
        assert entry.id and entry.description, f"{owner}: {entry.key} needs an id and a description"
