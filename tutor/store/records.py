"""What the store's rows hold, and reading them back with a check of every field.

A row written by a careless tool or an older version (a date that is not a
date, a step that is not a number) raises BadRow here; the store skips that
row and counts it, so one bad row never stops `tutor stats` or the map.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class Progress:
    """How far a learner is in one lesson (step is 0-based)."""
    step: int
    steps: int
    done: bool

    def describe(self) -> str:
        if self.done:
            return "done"
        return f"step {self.step + 1} of {self.steps}"


@dataclass(frozen=True)
class StoredCard:
    """A card's row in card_state: scheduler state as opaque, versioned JSON."""
    card_id: str
    lesson_id: str
    format: int
    state: str
    due: datetime
    reps: int
    introduced_at: datetime


@dataclass(frozen=True)
class Review:
    """One row of the review log."""
    card_id: str
    lesson_id: str
    reviewed_at: datetime
    rating: int
    state_before: str
    due_before: datetime | None
    due_after: datetime
    answer: str | None = None
    seed: int | None = None
    duration_ms: int | None = None


@dataclass(frozen=True)
class Reviewed:
    """What a review writes: the card's new state and its log entry."""
    card: StoredCard
    review: Review


class BadRow(ValueError):
    """A row whose fields are not what the schema promises."""


def utc_text(moment: datetime) -> str:
    """A timezone-aware datetime as fixed-width UTC text, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: card times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_utc_text(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return moment.astimezone(timezone.utc)


CARD_COLUMNS = "card_id, lesson_id, format, state, due, reps, introduced_at"
REVIEW_COLUMNS = ("card_id, lesson_id, reviewed_at, rating, state_before, due_before, due_after, "
                  "answer, seed, duration_ms")
PROGRESS_COLUMNS = "lesson_id, step, steps, done"


def _text(value, what: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise BadRow(f"{what} {value!r} is not text")
    return value


def _whole(value, what: str, least: int | None = None, most: int | None = None,
           optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRow(f"{what} {_short(value)} is not a whole number")
    if (least is not None and value < least) or (most is not None and value > most):
        raise BadRow(f"{what} {value} is out of range")
    return value


def _time(value, what: str, optional: bool = False) -> datetime | None:
    if value is None and optional:
        return None
    try:
        return from_utc_text(_text(value, what))
    except (ValueError, OverflowError):
        raise BadRow(f"{what} {_short(value)} is not a date and time") from None


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def progress_row(row: tuple) -> tuple[str, Progress]:
    lesson_id = _text(row[0], "lesson id")
    steps = _whole(row[2], "steps", least=1)
    step = _whole(row[1], "step", least=0)
    done = _whole(row[3], "done", least=0, most=1)
    return lesson_id, Progress(step, steps, bool(done))


def card_row(row: tuple) -> StoredCard:
    return StoredCard(_text(row[0], "card id"), _text(row[1], "lesson id"), _whole(row[2], "format"),
                      _text(row[3], "state"), _time(row[4], "due"), _whole(row[5], "reps", least=0),
                      _time(row[6], "introduced_at"))


def review_row(row: tuple) -> Review:
    return Review(_text(row[0], "card id"), _text(row[1], "lesson id"), _time(row[2], "reviewed_at"),
                  _whole(row[3], "rating", least=1, most=4), _text(row[4], "state_before"),
                  _time(row[5], "due_before", optional=True), _time(row[6], "due_after"),
                  _text(row[7], "answer", optional=True), _whole(row[8], "seed", optional=True),
                  _whole(row[9], "duration_ms", optional=True))
