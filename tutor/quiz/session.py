"""A quiz session: shows the planned cards one by one and records each review.

Every grade is written to the store at once (card state and review log in one
transaction), so quitting or a crash mid-session loses nothing. A card whose
new due time falls within today (Again, or a learning step) comes back at the
end of the queue, as in Anki.
"""
from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tutor import srs
from tutor.store import Review, Reviewed, StoredCard

from .check import Verdict
from .days import utc_now
from .present import Shown, present
from .queue import Item, Plan

ANSWER_CHARS = 500   # what is kept of a typed answer in the review log


@dataclass(frozen=True)
class Graded:
    item: Item
    shown: Shown
    rating: int
    due: datetime | None              # None: an orientation card, run through and not scheduled
    verdict: Verdict | None = None   # None for a self-graded flip card


@dataclass(frozen=True)
class Summary:
    reviewed: int
    correct: int                     # rated Hard, Good or Easy
    next_due: datetime | None        # the earliest due time among the quiz's cards, if any
    due_now: int = 0                 # the quiz's cards still due now (the session was ended early)


def auto_rating(verdict: Verdict) -> int:
    """Auto-graded cards: right is Good, wrong is Again."""
    if not verdict.graded:
        raise ValueError(f"a {verdict.status} answer is not graded")
    return srs.GOOD if verdict.right else srs.AGAIN


class Session:
    def __init__(self, store, scheduler: srs.Scheduler, plan: Plan, *,
                 clock: Callable[[], datetime] = utc_now, seeds: Callable[[], int] | None = None) -> None:
        self.store, self.scheduler, self.plan = store, scheduler, plan
        self.clock = clock
        self.seeds = seeds or (lambda: random.SystemRandom().randrange(2**31))
        self.queue: deque[Item] = deque(plan.items)
        self.shown: Shown | None = None
        self.shown_at = 0.0
        self.graded: list[Graded] = []

    @property
    def current(self) -> Item | None:
        return self.queue[0] if self.queue else None

    @property
    def remaining(self) -> int:
        return len(self.queue)

    @property
    def finished(self) -> bool:
        return not self.queue

    def show(self) -> Shown | None:
        """The current card as shown this time (the same instance until it is graded or skipped)."""
        if self.shown is None and self.queue:
            self.shown = present(self.queue[0].card, self.seeds())
            self.shown_at = time.monotonic()
        return self.shown

    def preview(self) -> dict[int, datetime]:
        """The due time each rating would give the current card (before fuzz), recording nothing."""
        item = self.current
        if item is None:
            return {}
        stored, now = self.store.card(item.card.id), self.clock()
        return {rating: self.scheduler.review(item.card.id, stored and stored.state, stored and stored.format,
                                              rating, now, self._history(item), fuzz=False).due
                for rating in srs.RATINGS}

    def grade(self, rating: int, answer: str | None = None, verdict: Verdict | None = None) -> Graded:
        """Record a review of the current card and move on."""
        shown = self.show()
        if shown is None:
            raise RuntimeError("no card to grade: the session is over")
        item = self.queue[0]
        duration = int((time.monotonic() - self.shown_at) * 1000)
        if item.lesson.orientation:          # a run-through of the app's keys: nothing to schedule
            graded = Graded(item, shown, rating, None, verdict)
            self.graded.append(graded)
            self.queue.popleft()
            self.shown = None
            return graded

        def apply(stored: StoredCard | None) -> Reviewed:
            # The time is read inside the write transaction: another process may
            # have reviewed this card while this one waited for the lock, and the
            # log's time order must be the order the reviews were applied in.
            now = self.clock()
            outcome = self.scheduler.review(item.card.id, stored and stored.state, stored and stored.format,
                                            rating, now, self._history(item))
            card = StoredCard(item.card.id, item.lesson.id, srs.FORMAT, outcome.state, outcome.due,
                              (stored.reps if stored else 0) + 1, stored.introduced_at if stored else now)
            review = Review(item.card.id, item.lesson.id, now, rating, outcome.state_before,
                            stored.due if stored else None, outcome.due,
                            None if answer is None else answer[:ANSWER_CHARS],
                            shown.seed if shown.exercise is not None else None, duration)
            return Reviewed(card, review)

        done = self.store.record_review(item.card.id, apply)
        graded = Graded(item, shown, rating, done.card.due, verdict)
        self.graded.append(graded)
        self.queue.popleft()
        self.shown = None
        if done.card.due < self.plan.cutoff:
            self.queue.append(Item(item.card, item.lesson, False))
        return graded

    def skip(self) -> None:
        """Leave the current card out of this session, recording nothing."""
        if self.queue:
            self.queue.popleft()
            self.shown = None

    def end(self) -> None:
        """Stop early: the cards not reached stay due."""
        self.queue.clear()
        self.shown = None

    def summary(self) -> Summary:
        dues, now = self.store.dues(self.plan.scope), self.clock()
        return Summary(len(self.graded), sum(g.rating > srs.AGAIN for g in self.graded),
                       dues[0] if dues else None, sum(due <= now for due in dues))

    def _history(self, item: Item) -> Callable[[], list[tuple[datetime, int]]]:
        return lambda: [(r.reviewed_at, r.rating) for r in self.store.reviews(item.card.id)]
