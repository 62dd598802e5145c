"""A tutor process that reviews cards and advances a lesson as fast as it can.

Run as a script by the crash-safety and concurrency tests:

    python store_worker.py LESSONS_DIR STORE ME GO COUNT

It opens the store (creating it if need be), says "ready", waits for the
file GO to exist, then COUNT times: grades one of its own cards, then the
card it shares with the other workers (both through a quiz Session, as the
app does), saves its lesson's step, and every fifth round a setting. After
each write has committed it writes one line (one write call), so a test that kills
it knows exactly which writes must be in the store.
"""
from __future__ import annotations

import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from tutor import srs
from tutor.course import load_course
from tutor.quiz.queue import Item, Plan
from tutor.quiz.session import Session
from tutor.store import Store


def say(*words) -> None:
    """One line in one write, so a kill never leaves half a line."""
    os.write(1, (" ".join(map(str, words)) + "\n").encode())


def main(lessons: Path, db: Path, me: str, go: Path, count: int) -> None:
    course, problems = load_course([lessons])
    assert not problems, problems
    mine, shared = course.find(me), course.find("shared")
    store = Store.open(db)
    assert store.notice is None, store.notice
    items = []
    for card in mine.cards[:count]:
        items += [Item(card, mine, True), Item(shared.cards[0], shared, True)]
    # cutoff in the past: nothing comes back in this session, each item is graded once
    plan = Plan(tuple(items), 0, len(items), len(items), datetime(2000, 1, 1, tzinfo=timezone.utc), {})
    session = Session(store, srs.Scheduler(0.9, fuzz=False), plan)
    say("ready")
    deadline = time.monotonic() + 60     # a test that failed early never says go
    while not go.exists():
        if time.monotonic() > deadline:
            sys.exit("no go signal")
        time.sleep(0.002)
    for i in range(count):
        for _ in range(2):
            graded = session.grade(srs.GOOD)        # returns once the review has committed
            say("review", graded.item.card.id)
        store.save_step(me, i, count)
        say("step", me, i)
        if i % 5 == 4:
            store.set_setting(f"worker.{me}", str(i))
            say("setting", me, i)
    say("done")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), int(sys.argv[5]))
