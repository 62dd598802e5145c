"""Quiz: due cards first, then new ones; every grade has a key shown on screen.

Flip cards are revealed and self-graded (1 Again … 4 Easy). Multiple choice,
cloze and exercise cards are checked by the tutor and rated Good when right,
Again when wrong. Typed answers go through an Input and are shown back
literally. The screen only moves data: the queue, checking and recording
live in tutor.quiz.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, tzinfo

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from tutor import srs
from tutor.course import Course, Lesson
from tutor.quiz.check import Verdict
from tutor.quiz.days import describe_due, interval, utc_now
from tutor.quiz.present import KIND_NAMES, Shown
from tutor.quiz.queue import Plan, build_plan
from tutor.quiz.session import Graded, Session, auto_rating
from tutor.quiz.settings import QuizSettings
from tutor.visible import visible
from tutor.widgets.card_view import CardFace, CardView
from tutor.widgets.key_bar import KeyBar
from tutor.widgets.plain_input import PlainInput

from .typed_ahead import TypedAhead

# ask: the question is up · rate: a flip card is revealed · answered: an auto-graded
# card shows its result · unavailable: an exercise could not be generated · over: summary
PHASES = ("ask", "rate", "answered", "unavailable", "over")



def empty_reason(course: Course, store, plan: Plan, lesson: Lesson | None, settings: QuizSettings) -> str:
    """Why a quiz has nothing to ask, in one line the learner can act on."""
    if not plan.scope:
        return f"{lesson.title} has no cards." if lesson else "The course has no cards yet."
    stored = store.cards(plan.scope)
    unseen = len(plan.scope) - len(stored)
    if unseen and plan.new_left == 0:
        return (f"Nothing is due, and today's {settings.new_per_day} new cards are done. "
                "More new cards come tomorrow.")
    if unseen and lesson is None and not stored:
        return ("No cards yet: finish a lesson and its cards join the quiz "
                "(or pick one: tutor quiz --lesson ID).")
    return "Nothing is due right now."


class QuizScreen(TypedAhead, Screen):
    HELP_TITLE = "quiz"
    DEFAULT_CSS = """
    QuizScreen #top { height: 1; padding: 0 1; background: $boost; }
    QuizScreen #card-area { height: 1fr; }
    QuizScreen #answer { margin: 0 1; }
    QuizScreen #feedback { height: auto; padding: 0 1; color: $text-warning; }
    QuizScreen #keys { height: auto; padding: 0 1; background: $boost; }
    QuizScreen #summary { height: auto; padding: 1 2; }
    QuizScreen CardView { max-width: 100; }
    """
    BINDINGS = [
        Binding("space,enter", "reveal", "Show answer", id="quiz.reveal"),
        Binding("1", "rate(1)", "Again", id="quiz.again"),
        Binding("2", "rate(2)", "Hard", id="quiz.hard"),
        Binding("3", "rate(3)", "Good", id="quiz.good"),
        Binding("4", "rate(4)", "Easy", id="quiz.easy"),
        *[Binding(str(n), f"choose({n - 1})", f"Choose answer {n}", show=False, id=f"quiz.choose{n}")
          for n in range(1, 10)],
        Binding("space,enter", "next", "Next card", id="quiz.next"),
        Binding("s", "skip", "Skip card", id="quiz.skip"),
        Binding("space,enter", "close", "Back", id="quiz.close"),
        Binding("escape", "end", "End quiz", id="quiz.end"),
    ]

    def __init__(self, course: Course, store, *, lesson: Lesson | None = None, limit: int | None = None,
                 clock: Callable[[], datetime] = utc_now, seeds: Callable[[], int] | None = None,
                 tz: tzinfo | None = None) -> None:
        super().__init__()
        self.course, self.store, self.lesson, self.clock, self.tz = course, store, lesson, clock, tz
        self.settings = QuizSettings.load(store)
        plan = build_plan(course, store, clock(), new_per_day=self.settings.new_per_day, lesson=lesson,
                          limit=limit, tz=tz)
        scheduler = srs.Scheduler(self.settings.retention, self.settings.fuzz)
        self.session = Session(store, scheduler, plan, clock=clock, seeds=seeds)
        self.phase = "ask"
        self.face: CardFace | None = None
        self.last: Graded | None = None
        self.empty_once = False   # an empty answer was submitted once: the next one reveals

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(id="top")
        with VerticalScroll(id="card-area"):
            yield CardView(id="card")
            yield Static(id="summary")
        yield PlainInput(placeholder="type your answer, then enter", id="answer")
        yield Static(id="feedback")
        yield Static(id="keys")
        yield KeyBar()

    def on_mount(self) -> None:
        if not self.begin():
            return
        if any(item.card.kind == "exercise" for item in self.session.queue):
            self.warm_up()
        self.show_card()

    @work(thread=True, exclusive=True, group="quiz-warm-up")
    def warm_up(self) -> None:
        """Import the exercise generators (NumPy, the engine) before the first exercise card."""
        import tutor.exercises.generators  # noqa: F401

    # -- showing ------------------------------------------------------------------------
    def show_card(self) -> None:
        self.empty_once = False
        self.query_one("#feedback", Static).update("")
        if self.session.finished:
            self.show_summary()
            return
        shown = self.session.show()
        assert shown is not None
        self.phase = "unavailable" if shown.mode == "unavailable" else "ask"
        self.set_face(self.question_face(shown))
        answer = self.query_one("#answer", Input)
        answer.display = shown.mode == "typed"
        answer.value = ""
        if shown.mode == "typed":
            answer.focus()
        else:
            self.set_focus(None)
        self.update_chrome()

    def question_face(self, shown: Shown) -> CardFace:
        item = self.session.current
        assert item is not None
        heading = f"{item.lesson.title} · {KIND_NAMES[item.card.kind]}" + (" · new" if item.new else "")
        return CardFace(heading, shown.question, choices=shown.choices, note=shown.note)

    def set_face(self, face: CardFace | None) -> None:
        self.face = face
        card = self.query_one(CardView)
        card.display = face is not None
        card.face = face
        self.query_one("#summary", Static).display = face is None

    def update_chrome(self) -> None:
        """The top line (what is left) and the key hints for the current phase."""
        queue = self.session.queue
        scope = self.lesson.title if self.lesson else "all lessons"
        new = sum(item.new for item in queue)
        left = (f"{len(queue)} left in this session ({len(queue) - new} review{'s' if len(queue) - new != 1 else ''}, "
                f"{new} new)" if queue else "done")
        self.query_one("#top", Static).update(Content.assemble(("Quiz", "bold"), f" · {scope} · {left}"))
        self.query_one("#keys", Static).update(self.key_hints())
        self.refresh_bindings()

    def key_hints(self) -> Content:
        shown = self.session.shown
        if self.phase == "rate":
            now = self.clock()
            preview = self.session.preview()
            orientation = self.session.current is not None and self.session.current.lesson.orientation
            keys = [Content.assemble((f"{r}", "bold reverse"),
                                     f" {name}" if orientation else f" {name} · {interval(preview[r] - now)}")
                    for r, name in srs.RATINGS.items()]
            return Content("  ").join([Content("Grade:"), *keys])
        if self.phase == "answered" and self.last is not None:
            name = srs.RATINGS[self.last.rating]
            after = ("not scheduled: these cards are a one-time run-through" if self.last.due is None
                     else f"next review {self.due_text(self.last.due)}")
            return Content.assemble(f"Rated {name}: {after}.   ",
                                    ("space", "bold reverse"), " next card   ", ("esc", "bold reverse"), " end")
        if self.phase == "over":
            return Content.assemble(("enter", "bold reverse"), " back to the course map")
        if self.phase == "unavailable":
            return Content.assemble(("s", "bold reverse"), " skip this card   ", ("esc", "bold reverse"), " end")
        if shown is not None and shown.mode == "flip":
            return Content.assemble(("space", "bold reverse"), " show the answer, then grade it with 1–4   ",
                                    ("esc", "bold reverse"), " end")
        if shown is not None and shown.mode == "choice":
            return Content.assemble((f"1–{len(shown.choices)}", "bold reverse"), " choose   ",
                                    ("s", "bold reverse"), " skip   ", ("esc", "bold reverse"), " end")
        return Content.assemble(("enter", "bold reverse"), " check (empty: show the answer, counts as Again)   ",
                                ("esc", "bold reverse"), " end")

    def due_text(self, due: datetime) -> str:
        return describe_due(due, self.clock(), self.tz)

    # -- answering ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):   # not built yet
            return False
        shown = self.session.shown
        mode = shown.mode if shown is not None else None
        if action == "reveal":
            return self.phase == "ask" and mode == "flip"
        if action == "rate":
            return self.phase == "rate"
        if action == "choose":
            return (self.phase == "ask" and mode == "choice" and shown is not None
                    and int(parameters[0]) < len(shown.choices))
        if action == "next":
            return self.phase == "answered"
        if action == "skip":
            return self.phase == "unavailable" or (self.phase == "ask" and mode in ("flip", "choice"))
        if action == "close":
            return self.phase == "over"
        return True

    def action_reveal(self) -> None:
        shown = self.session.shown
        if self.phase != "ask" or shown is None or shown.mode != "flip":
            return
        self.phase = "rate"
        self.set_face(CardFace(self.face.heading, shown.question, answer=shown.answer))
        self.update_chrome()

    def action_rate(self, rating: int) -> None:
        if self.phase == "rate" and self.record(rating) is not None:
            self.show_card()

    def action_choose(self, index: int) -> None:
        shown = self.session.shown
        if self.phase != "ask" or shown is None or shown.mode != "choice" or index >= len(shown.choices):
            return
        verdict = shown.check_choice(index)
        if self.record(auto_rating(verdict), shown.choices[index], verdict) is None:
            return
        self.answered(CardFace(self.face.heading, shown.question, choices=shown.choices, chosen=index,
                               right_choice=shown.right_choice, verdict=verdict.status, back=shown.back))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.empty_once = False
        self.query_one("#feedback", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        shown = self.session.shown
        if self.phase != "ask" or shown is None or shown.mode != "typed":
            return
        given = event.value
        verdict = shown.check(given)
        feedback = self.query_one("#feedback", Static)
        if verdict.status == "invalid":
            feedback.update(Content.assemble("“", visible(given), "” ", visible(verdict.message), " (not graded: try again)"))
            return
        if verdict.status == "empty":
            if not self.empty_once:
                self.empty_once = True
                feedback.update(Content("Nothing typed. Press enter again to see the answer (counts as Again)."))
                return
            verdict = Verdict("wrong")
        if self.record(auto_rating(verdict), given, verdict) is None:
            return
        self.answered(CardFace(self.face.heading, shown.question, given=given if given.strip() else None,
                               answer=shown.answer, verdict=verdict.status, back=shown.back, note=shown.note))

    def answered(self, face: CardFace) -> None:
        self.phase = "answered"
        self.set_face(face)
        self.query_one("#answer", Input).display = False
        self.query_one("#feedback", Static).update("")
        self.set_focus(None)
        self.update_chrome()

    def record(self, rating: int, answer: str | None = None, verdict: Verdict | None = None) -> Graded | None:
        """Grade the current card; a store that cannot be written is reported, not fatal."""
        try:
            self.last = self.session.grade(rating, answer, verdict)
        except sqlite3.Error as exc:
            self.query_one("#feedback", Static).update(
                Content(f"This review could not be saved ({exc}); it was not recorded. Try again."))
            return None
        return self.last

    def action_next(self) -> None:
        if self.phase == "answered":
            self.show_card()

    def action_skip(self) -> None:
        if self.phase in ("ask", "unavailable"):
            self.session.skip()
            self.show_card()

    # -- the end ------------------------------------------------------------------------
    def show_summary(self) -> None:
        self.phase = "over"
        self.set_face(None)
        self.query_one("#answer", Input).display = False
        self.set_focus(None)
        summary = self.session.summary()
        lines: list[Content] = []
        if summary.reviewed:
            share = round(100 * summary.correct / summary.reviewed)
            lines.append(Content.styled("Quiz over.", "bold"))
            lines.append(Content(f"Reviewed {summary.reviewed} card{'s' if summary.reviewed != 1 else ''}, "
                                 f"{summary.correct} correct ({share}%)."))
        else:
            lines.append(Content.styled("Nothing to review.", "bold"))
            lines.append(Content(empty_reason(self.course, self.store, self.session.plan, self.lesson,
                                              self.settings)))
        if summary.due_now:
            lines.append(Content(f"Still due now: {summary.due_now} card{'s' if summary.due_now != 1 else ''}."))
        elif summary.next_due is not None:
            lines.append(Content(f"Next card due: {self.due_text(summary.next_due)}."))
        self.query_one("#summary", Static).update(Content("\n").join(lines))
        self.update_chrome()

    def action_end(self) -> None:
        if self.phase == "over" or not self.session.graded:
            self.dismiss()
        else:
            self.session.end()
            self.show_card()

    def action_close(self) -> None:
        self.dismiss()
