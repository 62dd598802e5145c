"""The Textual app: wires screens, bindings and shared services; holds no logic."""
from __future__ import annotations

import os

from textual.app import App
from textual.binding import Binding
from textual.content import Content

from tutor.course import Course, Lesson
from tutor.screens.help import HelpScreen, describe_bindings
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.store import Store


def animation_default() -> bool:
    """TUTOR_ANIMATION=0 turns animation off (tests, snapshots, slow links)."""
    return os.environ.get("TUTOR_ANIMATION", "1").lower() not in ("0", "off", "false", "no")


class TutorApp(App):
    TITLE = "tutor"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    def __init__(self, course: Course, store: Store, *, animate: bool | None = None,
                 start: Lesson | None = None) -> None:
        super().__init__()
        self.course, self.store = course, store
        self.animate = animation_default() if animate is None else animate
        self.start = start

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.course, self.store))
        if self.store.notice:
            self.notify(Content(self.store.notice), title="Progress", severity="warning", timeout=15)
        if self.start is not None:
            self.open_lesson(self.start)

    def open_lesson(self, lesson: Lesson) -> None:
        """Open a lesson where the learner left it (from the start once done)."""
        progress = self.store.progress(lesson.id)
        step = progress.step if progress is not None and not progress.done else 0
        self.push_screen(LessonScreen(lesson, step))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        title = "lesson" if isinstance(self.screen, LessonScreen) else "home"
        self.push_screen(HelpScreen(title, describe_bindings(self.screen.active_bindings)))
