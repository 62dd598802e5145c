"""Spaced repetition with FSRS (the `fsrs` package, major version 6), behind a small API.

The rest of the tutor sees ratings as ints (1 Again … 4 Easy), times as
timezone-aware datetimes and card state as versioned JSON text; only this
module touches fsrs. Every datetime handed to fsrs is converted to
`timezone.utc` exactly (fsrs rejects naive ones and `ZoneInfo("UTC")`).

If a stored state is in a format this version cannot read (a future fsrs
major changed it), the card's state is rebuilt by replaying its review log,
so an upgrade never loses a schedule.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone

import fsrs

FORMAT = 6          # the stored JSON is fsrs 6's Card.to_json(); bump it with the fsrs major
DEFAULT_RETENTION = 0.9

RATINGS = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
_STATES = {fsrs.State.Learning: "learning", fsrs.State.Review: "review",
           fsrs.State.Relearning: "relearning"}


def utc(moment: datetime) -> datetime:
    """The same instant with tzinfo exactly `timezone.utc`; naive datetimes are refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: scheduling needs timezone-aware times")
    return moment.astimezone(timezone.utc)


def numeric_id(card_id: str) -> int:
    """A stable integer for fsrs's own card_id field (the tutor keys cards by text)."""
    return int.from_bytes(hashlib.sha256(card_id.encode()).digest()[:6], "big")


@dataclass(frozen=True)
class Outcome:
    """A card's state after a review."""
    state: str            # JSON, in FORMAT
    due: datetime         # UTC
    state_before: str     # new | learning | review | relearning
    phase: str            # learning | review | relearning (after the review)


class Scheduler:
    """FSRS with a desired retention; fuzzing on for learners, off in tests."""

    def __init__(self, desired_retention: float = DEFAULT_RETENTION, fuzz: bool = True) -> None:
        if not 0.7 <= desired_retention <= 0.99:
            raise ValueError(f"desired retention must lie between 0.7 and 0.99, got {desired_retention}")
        self.fsrs = fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=fuzz)
        self.exact = fsrs.Scheduler(desired_retention=desired_retention, enable_fuzzing=False)

    def new_card(self, card_id: str, now: datetime) -> fsrs.Card:
        return fsrs.Card(card_id=numeric_id(card_id), due=utc(now))

    def review(self, card_id: str, state: str | None, format: int | None, rating: int,
               now: datetime, history: Callable[[], Iterable[tuple[datetime, int]]] = tuple,
               fuzz: bool = True) -> Outcome:
        """Apply a rating to a card's stored state (None for a new card).

        `history()` gives the card's review log as (time, rating), oldest first;
        it is read only when the stored state is in a format this version cannot read.
        fuzz=False gives the unfuzzed due time (previews of what each grade would do).
        """
        if rating not in RATINGS:
            raise ValueError(f"rating must be 1 to 4, got {rating!r}")
        if state is None:
            card, before = self.new_card(card_id, now), "new"
        else:
            card = load(state, format)
            if card is None:
                card = self.replay(card_id, history())
            before = _STATES[card.state]
        scheduler = self.fsrs if fuzz else self.exact
        after, _ = scheduler.review_card(card, fsrs.Rating(rating), utc(now))
        return Outcome(after.to_json(), utc(after.due), before, _STATES[after.state])

    def replay(self, card_id: str, history: Iterable[tuple[datetime, int]]) -> fsrs.Card:
        """A card's state rebuilt from its review log (oldest first)."""
        card: fsrs.Card | None = None
        for moment, rating in history:
            if card is None:
                card = self.new_card(card_id, moment)
            card, _ = self.exact.review_card(card, fsrs.Rating(rating), utc(moment))
        if card is None:
            raise ValueError(f"card {card_id!r} has an unreadable state and no review log to rebuild it from")
        return card

    def retrievability(self, state: str, now: datetime) -> float:
        """The predicted chance of recalling a stored card now (0 to 1)."""
        return float(self.fsrs.get_card_retrievability(load(state, FORMAT), utc(now)))


def phase(state: str, format: int | None = FORMAT) -> str:
    """learning, review or relearning; 'unknown' for a state this version cannot read."""
    card = load(state, format)
    return "unknown" if card is None else _STATES[card.state]


def load(state: str, format: int | None = FORMAT) -> fsrs.Card | None:
    """A stored state as an fsrs Card, or None if it is not in this version's format."""
    if format != FORMAT:
        return None
    try:
        card = fsrs.Card.from_json(state)
    except (ValueError, KeyError, TypeError):
        return None
    card.due = utc(card.due)
    if card.last_review is not None:
        card.last_review = utc(card.last_review)
    return card


def gaps_when_recalled(retention: float, reviews: int = 5, rating: int = GOOD,
                       start: datetime = datetime(2026, 1, 1, tzinfo=timezone.utc)) -> list:
    """The waits before each of a new card's next `reviews` reviews, when every
    review is on time and graded `rating` (unfuzzed): what a desired retention
    means for a learner, as the settings screen shows it."""
    scheduler, state, now, gaps = Scheduler(retention, fuzz=False), None, start, []
    for _ in range(reviews):
        outcome = scheduler.review("settings.example", state, FORMAT, rating, now, fuzz=False)
        gaps.append(outcome.due - now)
        state, now = outcome.state, outcome.due
    return gaps
