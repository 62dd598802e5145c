"""Which cards a quiz asks: due cards first (most overdue first), then new cards.

New cards come from finished lessons (or from the lesson asked for), in
course order, up to what is left of the daily new-card limit. Only cards
that are in the course now are asked; a card removed from its lesson keeps
its history in the store and simply stops coming up. No scheduler needed.

An orientation lesson's cards (the welcome's keys) are not recall to keep
for months: they never join the daily quiz, count as due or as new, and a
quiz of that lesson alone runs through all of them, whatever their dates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from tutor.course import Card, Course, Lesson

from .days import day_start, next_day_start


@dataclass(frozen=True)
class Item:
    """One card to ask, with its lesson; new: never reviewed before."""
    card: Card
    lesson: Lesson
    new: bool


@dataclass(frozen=True)
class Plan:
    """The cards one quiz will ask, in order, with the counts it reports."""
    items: tuple[Item, ...]
    due: int                # due cards in the plan
    new: int                # new cards in the plan
    new_left: int           # new cards still allowed today, before this plan
    cutoff: datetime        # cards due before it are due today (UTC)
    scope: dict[str, str]   # card id -> lesson id, every card the quiz covers

    @property
    def empty(self) -> bool:
        return not self.items


def scheduled(course: Course) -> tuple[Lesson, ...]:
    """The lessons whose cards are scheduled: all but orientation lessons."""
    return tuple(lesson for lesson in course.lessons if not lesson.orientation)


def card_lessons(course: Course, lesson: Lesson | None = None) -> dict[str, str]:
    """card id -> lesson id for the course's scheduled cards, or one lesson's cards."""
    lessons = scheduled(course) if lesson is None else (lesson,)
    return {card.id: l.id for l in lessons for card in l.cards}


def new_left_today(store, new_per_day: int, now: datetime, tz: tzinfo | None = None) -> int:
    return max(0, new_per_day - store.introduced_since(day_start(now, tz)))


def build_plan(course: Course, store, now: datetime, *, new_per_day: int, lesson: Lesson | None = None,
               limit: int | None = None, tz: tzinfo | None = None) -> Plan:
    lessons = scheduled(course) if lesson is None else (lesson,)
    scope = card_lessons(course, lesson)
    stored = store.cards(scope)
    cutoff = next_day_start(now, tz)
    if lesson is not None and lesson.orientation:      # a run-through: every card, no schedule, no limit
        items = [Item(c, lesson, c.id not in stored) for c in lesson.cards][:None if limit is None else max(limit, 0)]
        n_new = sum(item.new for item in items)
        return Plan(tuple(items), len(items) - n_new, n_new, new_left_today(store, new_per_day, now, tz),
                    cutoff, scope)
    due = sorted(((stored[c.id].due, Item(c, l, False)) for l in lessons for c in l.cards
                  if c.id in stored and stored[c.id].due < cutoff), key=lambda pair: pair[0])
    done = {lesson_id for lesson_id, p in store.all_progress().items() if p.done}
    new_left = new_left_today(store, new_per_day, now, tz)
    new = [Item(c, l, True) for l in lessons if lesson is not None or l.id in done
           for c in l.cards if c.id not in stored][:new_left]
    items = [item for _, item in due] + new
    if limit is not None:
        items = items[:max(limit, 0)]
    n_new = sum(item.new for item in items)
    return Plan(tuple(items), len(items) - n_new, n_new, new_left, cutoff, scope)


def new_cards(store, lesson: Lesson) -> int:
    """How many of a lesson's cards have never been reviewed."""
    ids = [card.id for card in lesson.cards]
    return len(ids) - len(store.cards(ids))


def new_available(course: Course, store, now: datetime, new_per_day: int, tz: tzinfo | None = None) -> int:
    """New cards a quiz of all lessons would add today: unseen cards of finished lessons, up to the limit."""
    done = {lesson_id for lesson_id, p in store.all_progress().items() if p.done}
    ids = [card.id for lesson in scheduled(course) if lesson.id in done for card in lesson.cards]
    unseen = len(ids) - len(store.cards(ids))
    return min(unseen, new_left_today(store, new_per_day, now, tz))
