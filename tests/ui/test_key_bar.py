"""The key bar at the foot of each screen: the screen's keys in order, the palette key
at the right edge, disabled keys dimmed, a click presses a key, and it follows the
bindings as they change."""
from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from tutor.screens.quiz import QuizScreen
from tutor.widgets.key_bar import KeyBar


def drawn(bar: KeyBar) -> str:
    """The line as last drawn (the widget's line cache), not a fresh render."""
    return bar.render_line(0).text


def dimmed(bar: KeyBar) -> set[str]:
    return {segment.text for segment in bar.render_line(0) if segment.style and segment.style.dim}


def bar_text(app) -> str:
    return drawn(app.screen.query_one(KeyBar))


async def test_course_map_keys_and_the_palette_at_the_right_edge(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = bar_text(app)
        assert len(text) == 100
        assert text.split("▏")[0].split() == ["z", "Quiz", "s", "Quiz", "settings", "q", "Quit", "?", "Help"]
        assert text.endswith("▏^p palette ")


def background_at(bar: KeyBar, x: int):
    for segment in bar.render_line(0):
        if x < len(segment.text):
            return segment.style.bgcolor
        x -= len(segment.text)


async def test_a_click_on_a_key_presses_it(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        plain = background_at(bar, 10)                    # " s Quiz settings "
        await pilot.hover(KeyBar, offset=(10, 0))
        await pilot.pause()
        assert background_at(bar, 10) != plain and background_at(bar, 2) == plain
        await pilot.hover(KeyBar, offset=(60, 0))         # the gap between the keys and the palette
        await pilot.pause()
        assert background_at(bar, 10) == plain
        await pilot.click(KeyBar, offset=(2, 0))          # " z Quiz "
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(KeyBar, offset=(97, 0))         # "^p palette" at the right edge
        await pilot.pause()
        assert type(app.screen).__name__ == "TutorPalette"


async def test_narrow_terminal_keeps_the_palette_key_and_marks_the_cut(make_app):
    app = make_app()
    async with app.run_test(size=(50, 20)) as pilot:
        await pilot.pause()
        app.open_lesson(app.course.find("rnn"))
        await pilot.pause()
        text = bar_text(app)                              # the lesson's keys
        assert len(text) == 50
        assert text.startswith(" → Next step  ← Back ") and "…▏^p palette " in text


async def test_the_bar_follows_the_bindings():
    class Ask(Screen):
        BINDINGS = [Binding("a", "answer", "Answer"), Binding("b", "skip", "Skip"),
                    Binding("c", "hidden", "Hidden", show=False), Binding("x", "answer", "Answer again")]
        ready = False
        pressed: list[str] = []

        def compose(self):
            yield Input(id="box")
            yield KeyBar()

        def check_action(self, action, parameters):
            if action == "skip":
                return True if self.ready else None     # None: shown, but disabled
            return True

        def action_answer(self):
            self.pressed.append("answer")

        def action_skip(self):
            self.pressed.append("skip")

    class Host(App):
        ENABLE_COMMAND_PALETTE = False

        def on_mount(self):
            self.push_screen(Ask())

    app = Host()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        screen, bar = app.screen, app.screen.query_one(KeyBar)
        screen.query_one(Input).blur()
        await pilot.pause()
        content = bar.render()
        # one key per action, hidden bindings left out, no palette key when there is no palette
        assert content.plain.split() == ["a", "Answer", "b", "Skip"] and "▏" not in content.plain
        skip = content.plain.index(" b ")
        assert dimmed(bar) == {" b ", "Skip "}
        rang = []
        app.bell = lambda: rang.append(True)
        await pilot.click(KeyBar, offset=(skip + 1, 0))    # disabled: the bell, no action
        await pilot.pause()
        assert screen.pressed == [] and rang == [True]
        screen.ready = True
        screen.refresh_bindings()
        await pilot.pause()
        assert not dimmed(bar)
        await pilot.click(KeyBar, offset=(skip + 1, 0))
        await pilot.pause()
        assert screen.pressed == ["skip"]
        screen.query_one(Input).focus()      # letters now go into the input: not offered as keys
        await pilot.pause()
        assert drawn(bar).split() == []
        screen.query_one(Input).blur()
        await pilot.pause()
        assert drawn(bar).split() == ["a", "Answer", "b", "Skip"]
