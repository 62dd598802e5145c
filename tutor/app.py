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
                 start: Lesson | None = None, quiz: dict | None = None) -> None:
        super().__init__()
        self.course, self.store = course, store
        self.animate = animation_default() if animate is None else animate
        self.start = start
        self.quiz = quiz  # open the quiz at start: {"lesson": Lesson | None, "limit": int | None}

    def on_mount(self) -> None:
        self.push_screen(HomeScreen(self.course, self.store))
        if self.store.notice:
            self.notify(Content(self.store.notice), title="Progress", severity="warning", timeout=15)
        if self.start is not None:
            self.open_lesson(self.start)
        elif self.quiz is not None:
            self.open_quiz(**self.quiz)

    def open_lesson(self, lesson: Lesson) -> None:
        """Open a lesson where the learner left it (from the start once done)."""
        progress = self.store.progress(lesson.id)
        step = progress.step if progress is not None and not progress.done else 0
        self.push_screen(LessonScreen(lesson, step))

    def open_quiz(self, lesson: Lesson | None = None, limit: int | None = None) -> None:
        """Review due cards, then new ones (of one lesson, or of every finished lesson)."""
        from tutor.screens.quiz import QuizScreen  # imports the scheduler: not on the home path

        self.push_screen(QuizScreen(self.course, self.store, lesson=lesson, limit=limit))

    def action_quiz(self) -> None:
        self.open_quiz()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        title = getattr(self.screen, "HELP_TITLE", None) or (
            "lesson" if isinstance(self.screen, LessonScreen) else "home")
        self.push_screen(HelpScreen(title, describe_bindings(self.screen.active_bindings)))
