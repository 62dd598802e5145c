"""The Textual app: wires screens, bindings, commands and the theme; holds no logic."""
from __future__ import annotations

import os
import sqlite3

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.theme import Theme

from tutor import startup
from tutor.course import Course, Lesson
from tutor.screens.home import HomeScreen
from tutor.screens.too_small import TooSmall, fits
from tutor.store import Store

DARK, LIGHT = "textual-dark", "textual-light"


def _tutor_commands():
    """The palette's provider, imported when the palette first opens: the
    lesson screen and textual.command cost ~70 ms the course map does not need."""
    from tutor.commands import TutorCommands

    return TutorCommands
THEME_SETTING = "ui.theme"


def animation_default() -> bool:
    """TUTOR_ANIMATION=0 turns animation off (tests, snapshots, slow links)."""
    return os.environ.get("TUTOR_ANIMATION", "1").lower() not in ("0", "off", "false", "no")


class TutorApp(App):
    TITLE = "tutor"
    COMMANDS = App.COMMANDS | {_tutor_commands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("t", "toggle_theme", "Dark/light theme", show=False, id="app.theme"),
    ]

    def __init__(self, course: Course, store: Store, *, animate: bool | None = None,
                 start: Lesson | None = None, quiz: dict | None = None) -> None:
        super().__init__()
        self.course, self.store = course, store
        store.on_write_error = self.write_failed   # progress and settings: a message, not a crash
        self.write_errors: set[str] = set()
        self.animate = animation_default() if animate is None else animate
        self.start = start
        self.quiz = quiz  # open the quiz at start: {"lesson": Lesson | None, "limit": int | None}
        self.predictions: dict[str, dict[int, int]] = {}   # lesson id -> step -> the choice committed
        self.estimates: dict[str, dict] = {}   # lesson id -> step -> a number prediction's result

    def on_mount(self) -> None:
        saved = self.store.setting(THEME_SETTING)
        if saved in self.available_themes:
            self.theme = saved
        self.theme_changed_signal.subscribe(self, self.remember_theme)
        self.screen_change_signal.subscribe(self, self.screen_changed)
        self.push_screen(HomeScreen(self.course, self.store))
        if self.store.notice:
            self.notify(Content(self.store.notice), title="Progress", severity="warning", timeout=15)
        if self.start is not None:
            self.open_lesson(self.start)
        elif self.quiz is not None:
            self.open_quiz(**self.quiz)
        self.cover_if_small(self.size)
        self.call_after_refresh(self.report_skipped_rows)   # rows the map could not read
        # Once the map is painted, and after a moment for it to reach the terminal:
        # collect start-up's garbage and turn the cycle collector back on.
        self.call_after_refresh(self.set_timer, 0.2, startup.resume)

    # -- navigation -------------------------------------------------------------------
    def go_home(self) -> None:
        """Close whatever is open above the course map."""
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def open_lesson(self, lesson: Lesson, step: int | None = None) -> None:
        """Open a lesson at a step, or where the learner left it (from the start once done)."""
        self.go_home()
        if step is None:
            progress = self.store.progress(lesson.id)
            step = progress.step if progress is not None and not progress.done else 0
        from tutor.screens.lesson import LessonScreen

        self.push_screen(LessonScreen(lesson, step))

    def open_quiz(self, lesson: Lesson | None = None, limit: int | None = None) -> None:
        """Review due cards, then new ones (of one lesson, or of every finished lesson)."""
        from tutor.screens.quiz import QuizScreen  # imports the scheduler: not on the home path

        self.push_screen(QuizScreen(self.course, self.store, lesson=lesson, limit=limit))

    def get_system_commands(self, screen: Screen):
        """Textual's own palette commands, less those the tutor's keys already give
        (Keys is ?, Maximize is z, Quit is q) or a learner does not need (Screenshot,
        Bell): listed first, they pushed the lessons and the tutor's actions down,
        and enter typed ahead of the palette's list would pick Quit."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Maximize", "Minimize", "Screenshot", "Bell", "Quit"):
                yield command

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        from tutor.commands import TutorPalette

        # One palette at most, even under the too-small cover (a second one's id clashed), and
        # none while the terminal is too small to show it.
        if (self.use_command_palette and not isinstance(self.screen, TooSmall)
                and not any(isinstance(screen, CommandPalette) for screen in self.screen_stack)):
            self.push_screen(TutorPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """Textual's "Theme" command, in the palette whose paging cannot crash (Textual's own
        opens a plain CommandPalette; pagedown right after it opened raised KeyError)."""
        from textual.theme import ThemeProvider

        from tutor.commands import TutorPalette

        self.push_screen(TutorPalette(providers=[ThemeProvider], placeholder="Search for themes…"))

    def action_home(self) -> None:
        self.go_home()

    def action_quiz(self) -> None:
        self.go_home()
        self.open_quiz()

    def action_settings(self) -> None:
        from tutor.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen(self.store))

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen, describe_bindings   # when first asked for

        if isinstance(self.screen, HelpScreen):
            return
        title = getattr(self.screen, "HELP_TITLE", None) or (
            "lesson" if type(self.screen).__name__ == "LessonScreen" else "home")
        declared = [*type(self.screen).BINDINGS, *type(self).BINDINGS]
        self.push_screen(HelpScreen(title, *describe_bindings(self.screen.active_bindings, declared)))

    def report_skipped_rows(self) -> None:
        skipped = self.store.skipped_notice()
        if skipped:
            self.notify(Content(skipped[0].upper() + skipped[1:] + "."), title="Progress", severity="warning",
                        timeout=15)

    def write_failed(self, error: Exception) -> None:
        """A progress or settings write failed (disk full, I/O error): say so once per kind of error."""
        if str(error) not in self.write_errors:
            self.write_errors.add(str(error))
            self.notify(Content(f"Your progress could not be saved ({error}). You can go on; "
                                "what you do now may not be kept."),
                        title="Progress", severity="error", timeout=15)

    # -- theme ------------------------------------------------------------------------
    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.current_theme.dark else DARK

    def remember_theme(self, theme: Theme) -> None:
        try:
            self.store.set_setting(THEME_SETTING, theme.name)
        except sqlite3.Error:
            pass  # the theme still switches; it is just not remembered (a busy or read-only store)

    # -- a terminal too small for any layout ---------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.cover_if_small(event.size)

    def screen_changed(self, screen: Screen) -> None:
        self.cover_if_small(self.size)

    def cover_if_small(self, size) -> None:
        started = any(isinstance(screen, HomeScreen) for screen in self.screen_stack)
        if started and not fits(size) and not isinstance(self.screen, TooSmall):
            self.push_screen(TooSmall())
