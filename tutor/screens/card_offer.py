"""After a lesson: offer to learn its new cards now (y) or later (n)."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class CardOffer(ModalScreen[bool]):
    DEFAULT_CSS = """
    CardOffer { align: center middle; }
    CardOffer > Vertical { width: 70%; min-width: 30; height: auto; border: round $accent;
        background: $surface; padding: 0 1; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Learn them now", id="offer.yes"),
        Binding("n,escape", "answer(False)", "Later", id="offer.no"),
    ]

    def __init__(self, title: str, new: int, allowed: int, orientation: bool = False) -> None:
        super().__init__()
        self.title_text, self.new, self.allowed, self.orientation = title, new, allowed, orientation

    def compose(self) -> ComposeResult:
        cards = f"{self.new} new recall card{'s' if self.new != 1 else ''}"
        lines = [Content.assemble(("Lesson complete: ", "bold"), self.title_text),
                 Content(f"It has {cards}. Learn them now, in a short quiz?")]
        if self.orientation:
            lines[1] = Content(f"Try its {self.new} question{'s' if self.new != 1 else ''} on the keys now? A "
                               "one-time run-through: they are not scheduled for review.")
        elif self.allowed < self.new:
            lines.append(Content(f"(Today's limit of new cards leaves room for {self.allowed}; "
                                 "the rest come up on later days.)"))
        with Vertical():
            yield Static(Content("\n").join(lines))
            yield Static(Content.assemble(("y", "bold reverse"), " yes   ", ("n", "bold reverse"), " later"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def offer_new_cards(app, lesson) -> None:
    """After finishing `lesson`: offer its new cards, or say when they will come.

    One message says the lesson is complete: the offer itself, or else a notice
    (which also says when the cards come), never both over the course map.
    """
    from tutor.quiz.days import utc_now
    from tutor.quiz.queue import new_cards, new_left_today
    from tutor.quiz.settings import QuizSettings

    done = f"Lesson complete: {lesson.title}."
    if lesson.orientation and lesson.cards:   # every time, and outside the daily limit: nothing is scheduled
        app.push_screen(CardOffer(lesson.title, len(lesson.cards), len(lesson.cards), orientation=True),
                        lambda yes: app.open_quiz(lesson) if yes else None)
        return
    new = new_cards(app.store, lesson)
    if not new:
        app.notify(Content(done), title="Well done")
        return
    settings = QuizSettings.load(app.store)
    allowed = new_left_today(app.store, settings.new_per_day, utc_now())
    if not allowed:
        app.notify(Content(f"{done} Its {new} new cards join your quizzes from tomorrow "
                           f"(today's {settings.new_per_day} new cards are done)."), title="Well done")
        return

    def answer(yes: bool | None) -> None:
        if yes:
            app.open_quiz(lesson)

    app.push_screen(CardOffer(lesson.title, new, allowed), answer)
