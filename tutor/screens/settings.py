"""Quiz settings: new cards per day and desired retention, changed in place and saved at once.

What each value means is shown beside it; for the retention, the waits FSRS
would give a new card recalled every time, so the trade (fewer reviews,
more forgetting) is visible before it is made. `tutor quiz --new-per-day N
--retention R` sets the same values from the command line.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor import srs
from tutor.quiz.days import interval
from tutor.quiz.settings import (NEW_PER_DAY_RANGE, RETENTION_RANGE, QuizSettings, parse_new_per_day,
                                 parse_retention)
from tutor.widgets.key_bar import KeyBar

from .prompt import TextPrompt
from .typed_ahead import TypedAhead

EXAMPLE_REVIEWS = 5


@dataclass(frozen=True)
class Setting:
    field: str                       # QuizSettings attribute
    label: str
    steps: tuple                     # the values [ and ] walk through
    parse: Callable[[str], Any]      # typed text -> value, ValueError with a message
    show: Callable[[Any], str]

    def stepped(self, value, direction: int):
        """The next value of `steps` up or down from `value` (which may lie between steps)."""
        if direction > 0:
            return next((s for s in self.steps if s > value), self.steps[-1])
        return next((s for s in reversed(self.steps) if s < value), self.steps[0])


def _retention_steps() -> tuple[float, ...]:
    """Every hundredth across the range parse_retention accepts."""
    low, high = RETENTION_RANGE
    return tuple(round(low + 0.01 * i, 2) for i in range(round((high - low) / 0.01) + 1))


SETTINGS = (
    Setting("new_per_day", "New cards per day",
            (NEW_PER_DAY_RANGE[0], 5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 500, NEW_PER_DAY_RANGE[1]),
            parse_new_per_day, str),
    Setting("retention", "Desired retention", _retention_steps(), parse_retention, lambda r: f"{r:.2f}"),
)


def explain(settings: QuizSettings) -> dict[str, Content]:
    """What each value means for the learner, with its consequences in figures."""
    n = settings.new_per_day
    new = ("No new cards: quizzes only bring back cards you have seen." if n == 0 else
           f"A quiz introduces up to {n} card{'s' if n != 1 else ''} you have not seen yet each day, "
           "across all lessons (cards of finished lessons, or of the lesson a quiz is opened for). "
           "Each new card brings reviews on the days after, so this sets your daily load.")
    gaps = ", ".join(interval(g) for g in srs.gaps_when_recalled(settings.retention, EXAMPLE_REVIEWS))
    retention = (f"FSRS brings a card back when the chance you still recall it has fallen to "
                 f"{settings.retention:.0%}. Higher: shorter waits, more reviews, less forgotten. "
                 f"At {settings.retention:.2f}, a new card you recall every time comes back after {gaps}.")
    return {"new_per_day": Content(new), "retention": Content(retention)}


class SettingsScreen(TypedAhead, ModalScreen[None]):
    HELP_TITLE = "quiz settings"
    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen > VerticalScroll { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; padding: 0 1; background: $surface; }
    SettingsScreen .setting { margin-top: 1; }
    SettingsScreen .explain { color: $text-muted; padding-left: 2; }
    """
    BINDINGS = [
        Binding("up", "select(-1)", "Previous setting", show=False, id="settings.up"),
        Binding("down", "select(1)", "Next setting", show=False, id="settings.down"),
        Binding("left_square_bracket,left", "change(-1)", "Decrease", id="settings.decrease"),
        Binding("right_square_bracket,right", "change(1)", "Increase", id="settings.increase"),
        Binding("e,enter", "type", "Type a value", id="settings.type"),
        Binding("escape,s", "close", "Close", id="settings.close"),
    ]

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store
        self.settings = QuizSettings.load(store)
        self.selected = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Content.styled("Quiz settings", "bold"))
            for setting in SETTINGS:
                yield Static(id=f"value-{setting.field}", classes="setting")
                yield Static(id=f"explain-{setting.field}", classes="explain")
            yield Static(Content.styled("↑↓ choose · [ ] or ←→ change · e type · esc close · "
                                        "saved at once", "dim"), classes="setting")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.begin():
            self.show()

    def show(self) -> None:
        texts = explain(self.settings)
        for i, setting in enumerate(SETTINGS):
            value = setting.show(getattr(self.settings, setting.field))
            mark = ("▸ ", "bold $accent") if i == self.selected else "  "
            self.query_one(f"#value-{setting.field}", Static).update(
                Content.assemble(mark, (f"{setting.label}: ", "dim" if i != self.selected else ""), (value, "bold")))
            self.query_one(f"#explain-{setting.field}", Static).update(texts[setting.field])

    def set_value(self, setting: Setting, value) -> None:
        self.settings = replace(self.settings, **{setting.field: value})
        self.settings.save(self.store)
        self.show()

    def action_select(self, direction: int) -> None:
        self.selected = (self.selected + direction) % len(SETTINGS)
        self.show()

    def action_change(self, direction: int) -> None:
        setting = SETTINGS[self.selected]
        self.set_value(setting, setting.stepped(getattr(self.settings, setting.field), direction))

    def action_type(self) -> None:
        setting = SETTINGS[self.selected]

        def check(text: str) -> str | None:
            try:
                setting.parse(text.strip())
            except ValueError as exc:
                return str(exc)
            return None

        def typed(text: str | None) -> None:
            if text is not None:
                self.set_value(setting, setting.parse(text.strip()))

        current = setting.show(getattr(self.settings, setting.field))
        self.app.push_screen(TextPrompt(f"{setting.label}:", current, check), typed)

    def action_close(self) -> None:
        self.dismiss(None)
