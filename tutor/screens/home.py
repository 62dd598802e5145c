"""Home: the course map, every lesson in order with its time and progress."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.course import BrokenLesson, Course, Lesson
from tutor.quiz.days import next_day_start, utc_now
from tutor.quiz.queue import card_lessons, new_available
from tutor.quiz.settings import QuizSettings
from tutor.store import Progress, Store
from tutor.widgets.key_bar import KeyBar


def lesson_prompt(lesson: Lesson, progress: Progress | None, due: int = 0) -> Text:
    state = "not started" if progress is None else progress.describe()
    style = "green" if progress and progress.done else "yellow" if progress else "dim"
    text = Text(f"{lesson.order:>2}  ")
    text.append(lesson.title, style="bold")
    text.append(f"  · {lesson.minutes} min · ", style="dim")
    text.append(state, style=style)
    if due:
        text.append(f" · {due} card{'s' if due != 1 else ''} due", style="bold cyan")
    return text


def due_line(due: int, new: int) -> Content:
    """The total line: cards due today, new cards waiting, and the key that opens the quiz."""
    if not due and not new:
        return Content.styled("No cards due today.", "dim")
    parts = [f"{due} card{'s' if due != 1 else ''} due today"] if due else []
    parts += [f"{new} new card{'s' if new != 1 else ''} for today"] if new else []
    return Content.assemble((" · ".join(parts), "bold cyan"), " · press ", ("z", "bold reverse"), " for a quiz")


def broken_prompt(broken: BrokenLesson) -> Text:
    text = Text("  ✗ ", style="red")
    text.append(broken.title or broken.file, style="strike dim")
    text.append(f"  unavailable: {broken.file} {broken.reason}", style="red")
    return text


class HomeScreen(Screen):
    DEFAULT_CSS = """
    HomeScreen #banner { padding: 0 1; text-style: bold; color: $accent; }
    HomeScreen #due { padding: 0 1; }
    HomeScreen OptionList { height: 1fr; min-width: 40; }
    HomeScreen #summary { height: auto; min-height: 2; padding: 0 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "open", "Open lesson", show=False, id="home.open"),
        Binding("z", "app.quiz", "Quiz", id="home.quiz"),
        Binding("s", "app.settings", "Quiz settings", id="home.settings"),
    ]

    def __init__(self, course: Course, store: Store) -> None:
        super().__init__()
        self.course, self.store = course, store

    def compose(self) -> ComposeResult:
        yield Static(Content("tutor · from recurrent networks to Transformers"), id="banner")
        yield Static(id="due")
        yield OptionList(id="lessons")
        yield Static(id="summary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.stale = False   # until another screen covers the map
        self.refresh_lessons()

    def on_screen_suspend(self) -> None:
        self.stale = True

    def on_screen_resume(self) -> None:
        if self.stale:       # not the resume that follows the first push: the map was just drawn
            self.stale = False
            self.refresh_lessons()

    def refresh_lessons(self) -> None:
        options = self.query_one("#lessons", OptionList)
        highlighted = options.highlighted
        progress = self.store.all_progress()
        now = utc_now()
        due = self.store.due_counts(card_lessons(self.course), next_day_start(now))
        new = new_available(self.course, self.store, now, QuizSettings.load(self.store).new_per_day)
        self.query_one("#due", Static).update(due_line(sum(due.values()), new))
        options.clear_options()
        items = [Option(lesson_prompt(lesson, progress.get(lesson.id), due.get(lesson.id, 0)), id=lesson.id)
                 for lesson in self.course.lessons]
        items += [Option(broken_prompt(b), id=f"broken:{b.path}", disabled=True) for b in self.course.broken]
        options.add_options(items)
        if self.course.lessons:
            options.highlighted = highlighted if highlighted is not None else self._resume_index(progress)
        options.focus()

    def _resume_index(self, progress: dict[str, Progress]) -> int:
        """The first lesson not yet done."""
        for i, lesson in enumerate(self.course.lessons):
            p = progress.get(lesson.id)
            if p is None or not p.done:
                return i
        return 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        lesson = self.course.find(event.option.id or "")
        summary = self.query_one("#summary", Static)
        if lesson is not None:
            summary.update(Content(f"{lesson.summary}  ({len(lesson.steps)} steps, {len(lesson.cards)} cards)"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        lesson = self.course.find(event.option.id or "")
        if lesson is not None:
            self.app.open_lesson(lesson)

    def action_open(self) -> None:
        self.query_one("#lessons", OptionList).action_select()
