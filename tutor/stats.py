"""`tutor stats`: reviews and retention from the review log, and due cards for the next 14 days.

`compute` gathers plain numbers (testable at a fixed clock); `render` lays
them out as Rich tables, printed without the TUI.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from rich.console import Group
from rich.table import Table
from rich.text import Text

from tutor import srs
from tutor.course import Course
from tutor.quiz.days import day_start, next_day_start
from tutor.quiz.queue import card_lessons
from tutor.quiz.settings import QuizSettings

FORECAST_DAYS = 14


@dataclass(frozen=True)
class Window:
    label: str
    reviews: int
    recalled: int            # rated Hard, Good or Easy
    mature: int              # reviews of cards already in the review phase
    mature_recalled: int

    @property
    def retention(self) -> float | None:
        """The share of review-phase cards recalled: what FSRS aims at (None without data)."""
        return self.mature_recalled / self.mature if self.mature else None


@dataclass(frozen=True)
class Stats:
    windows: tuple[Window, ...]
    cards: int                               # in the course now
    new: int                                 # never reviewed
    phases: dict[str, int]                   # learning / review / relearning
    removed: int                             # reviewed cards no longer in the course
    forecast: tuple[tuple[date, int], ...]   # day, cards due that day (overdue counted today)
    settings: QuizSettings


def compute(course: Course, store, now: datetime, tz: tzinfo | None = None) -> Stats:
    reviews = store.reviews()
    starts = [("today", day_start(now, tz)), ("7 days", day_start(now - timedelta(days=6), tz)),
              ("30 days", day_start(now - timedelta(days=29), tz)), ("all time", None)]
    windows = []
    for label, start in starts:
        chosen = [r for r in reviews if start is None or r.reviewed_at >= start]
        mature = [r for r in chosen if r.state_before == "review"]
        windows.append(Window(label, len(chosen), sum(r.rating > srs.AGAIN for r in chosen),
                              len(mature), sum(r.rating > srs.AGAIN for r in mature)))
    scope = card_lessons(course)
    stored = store.cards(scope)
    phases = {"learning": 0, "review": 0, "relearning": 0}
    for card in stored.values():
        name = srs.phase(card.state, card.format)
        phases[name] = phases.get(name, 0) + 1
    known = {r.card_id for r in reviews}
    return Stats(tuple(windows), len(scope), len(scope) - len(stored), phases,
                 len(known - set(scope)), forecast(store.dues(scope), now, tz), QuizSettings.load(store))


def forecast(dues: list[datetime], now: datetime, tz: tzinfo | None = None,
             days: int = FORECAST_DAYS) -> tuple[tuple[date, int], ...]:
    """Cards due on each of the next `days` local days; overdue cards count today."""
    today = now.astimezone(tz).date()
    counts = [0] * days
    tomorrow = next_day_start(now, tz)
    for due in dues:
        offset = 0 if due < tomorrow else (due.astimezone(tz).date() - today).days
        if offset < days:
            counts[offset] += 1
    return tuple((today + timedelta(days=i), n) for i, n in enumerate(counts))


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def render(stats: Stats) -> Group:
    reviews = Table(title="Reviews", title_justify="left", show_edge=False)
    reviews.add_column("")
    for window in stats.windows:
        reviews.add_column(window.label, justify="right")
    reviews.add_row("reviews", *[str(w.reviews) for w in stats.windows])
    reviews.add_row("recalled", *[_percent(w.recalled, w.reviews) for w in stats.windows])
    reviews.add_row("retention", *[_percent(w.mature_recalled, w.mature) for w in stats.windows])

    due = Table(title=f"Due in the next {len(stats.forecast)} days", title_justify="left", show_edge=False)
    due.add_column("day")
    due.add_column("cards", justify="right")
    due.add_column("")
    peak = max((n for _, n in stats.forecast), default=0) or 1
    for i, (day, n) in enumerate(stats.forecast):
        label = "today" if i == 0 else "tomorrow" if i == 1 else f"{day:%a %d %b}"
        due.add_row(label, str(n), "█" * round(20 * n / peak) if n else "")

    p, s = stats.phases, stats.settings
    cards = Text(f"Cards: {stats.cards} in the course · {stats.new} new · {p.get('learning', 0)} learning · "
                 f"{p.get('review', 0)} in review · {p.get('relearning', 0)} relearning")
    if stats.removed:
        cards.append(f"\n{stats.removed} reviewed card(s) are no longer in the course; their history is kept.")
    notes = Text("retention: the share of reviews of cards already in review that were recalled "
                 f"(the scheduler aims at {s.retention:g}). New cards per day: {s.new_per_day}.",
                 style="dim")
    return Group(cards, Text(""), reviews, Text(""), due, Text(""), notes)
