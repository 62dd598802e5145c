"""Two tutor processes reviewing at once (two terminals, two browser tabs) lose nothing."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from tutor.store import Store

from .helpers import card, lesson, write_course

N = 40  # reviews per process of its own cards, and as many of one card both share

WORKER = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from tutor import srs
    from tutor.course import load_course
    from tutor.quiz.queue import Item, Plan
    from tutor.quiz.session import Session
    from tutor.store import Store

    lessons, db, me, go, n = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), int(sys.argv[5])
    course, problems = load_course([lessons])
    assert not problems, problems
    mine, shared = course.find(me), course.find("shared")
    store = Store.open(db)
    assert store.notice is None, store.notice
    # nothing is requeued (cutoff in the past): each item is graded exactly once
    items = []
    for i in range(n):
        items += [Item(mine.cards[i], mine, True), Item(shared.cards[0], shared, True)]
    plan = Plan(tuple(items), 0, len(items), n, datetime(2000, 1, 1, tzinfo=timezone.utc), {})
    session = Session(store, srs.Scheduler(0.9, fuzz=False), plan)
    Path(str(go) + "." + me).touch()  # ready
    while not go.exists():
        time.sleep(0.002)
    session.grade(srs.GOOD)
    # Each waits for the other's first review before going on, so the two runs
    # overlap however the machine schedules them (otherwise there is no race to test).
    Path(f"{go}.first.{me}").touch()
    other, deadline = Path(f"{go}.first.{'pb' if me == 'pa' else 'pa'}"), time.monotonic() + 60
    while not other.exists() and time.monotonic() < deadline:
        time.sleep(0.002)
    while not session.finished:
        session.grade(srs.GOOD)
    print("done", len(session.graded))
""")


def test_two_processes_reviewing_at_once_lose_nothing(tmp_path):
    course_dir = tmp_path / "lessons"
    write_course(course_dir, {
        "a.md": lesson("pa", 1, [card(f"pa.{i}") for i in range(N)]),
        "b.md": lesson("pb", 2, [card(f"pb.{i}") for i in range(N)]),
        "s.md": lesson("shared", 3, [card("shared.one")]),
    })
    db, go = tmp_path / "progress.sqlite3", tmp_path / "go"
    Store.open(db).close()  # created and migrated before the race
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(course_dir), str(db), who, str(go), str(N)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for who in ("pa", "pb")]
    deadline = time.monotonic() + 30
    while not all((tmp_path / f"go.{who}").exists() for who in ("pa", "pb")) and time.monotonic() < deadline:
        time.sleep(0.01)  # both started and waiting
    go.touch()
    outs = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, outs):
        assert proc.returncode == 0, err
        assert out.strip() == f"done {2 * N}"

    store = Store.open(db)
    reviews = store.reviews()
    assert len(reviews) == 4 * N
    assert {r.card_id for r in reviews} == {f"p{w}.{i}" for w in "ab" for i in range(N)} | {"shared.one"}
    times = {w: [r.reviewed_at for r in reviews if r.card_id.startswith(f"p{w}.")] for w in "ab"}
    assert min(max(times["a"]), max(times["b"])) > max(min(times["a"]), min(times["b"])), "no overlap: no race"
    for w in "ab":
        assert all(store.card(f"p{w}.{i}").reps == 1 for i in range(N))
    # the shared card's reviews were applied one after another, none overwritten
    shared = store.card("shared.one")
    assert shared.reps == 2 * N and len(store.reviews("shared.one")) == 2 * N
    assert [r.state_before for r in store.reviews("shared.one")][:2] == ["new", "learning"]
