"""Real processes against one progress store: killed mid-review, and two at once.

The workers (store_worker.py) review cards through a quiz Session, save their
lesson's step and a setting, printing a line after each write commits. A
worker killed with SIGKILL must leave a store that opens cleanly (not set
aside as damaged), passes `PRAGMA integrity_check`, and holds every write it
reported, each card's state agreeing with its review log. Two workers
reviewing and advancing at once must both finish with nothing lost, and
tutors started together on a fresh machine must all get the one store.
"""
from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tutor.store import Store

from ..quiz.helpers import card, lesson, write_course

WORKER = str(Path(__file__).with_name("store_worker.py"))
CARDS = 60


def course(tmp_path: Path, names=("pa", "pb")) -> Path:
    directory = tmp_path / "lessons"
    lessons = {f"{who}.md": lesson(who, i + 1, [card(f"{who}.{n}") for n in range(CARDS)])
               for i, who in enumerate(names)}
    lessons["shared.md"] = lesson("shared", 9, [card("shared.one")])
    write_course(directory, lessons)
    return directory


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_stray_processes():
    """Whatever happens in a test, the processes it started end with it."""
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)


def spawn(*args: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    STARTED.append(proc)
    return proc


def start(lessons: Path, db: Path, who: str, go: Path, count: int) -> subprocess.Popen:
    return spawn(WORKER, str(lessons), str(db), who, str(go), str(count))


def wait_ready(proc: subprocess.Popen) -> None:
    line = proc.stdout.readline()
    assert line.strip() == "ready", (line, proc.stderr.read() if proc.poll() is not None else "")


def reported(lines: list[str]) -> tuple[Counter, dict[str, int], dict[str, int]]:
    """Reviews per card, last step per lesson and last setting per worker that a worker printed."""
    reviews, steps, settings = Counter(), {}, {}
    for line in lines:
        kind, *rest = line.split()
        if kind == "review":
            reviews[rest[0]] += 1
        elif kind == "step":
            steps[rest[0]] = int(rest[1])
        elif kind == "setting":
            settings[rest[0]] = int(rest[1])
    return reviews, steps, settings


def check_store(db: Path, reviews: Counter, steps: dict[str, int], settings: dict[str, int],
                slack: int) -> Counter:
    """The store is sound and holds every reported write (and at most `slack` unreported reviews)."""
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    store = Store.open(db)
    try:
        assert store.path == db and store.notice is None, store.notice   # not set aside, not in memory
        logged = Counter(r.card_id for r in store.reviews())
        missing = reviews - logged
        assert not missing, f"reported reviews missing from the log: {dict(missing)}"
        assert sum(logged.values()) - sum(reviews.values()) <= slack
        for card_id, count in logged.items():           # state and log were written together
            assert store.card(card_id).reps == count, card_id
        for who, step in steps.items():
            saved = store.progress(who)
            assert saved is not None and step <= saved.step <= step + 1, (who, step, saved)
        for who, value in settings.items():
            assert value <= int(store.setting(f"worker.{who}")) <= value + 5
        return logged
    finally:
        store.close()


def test_killed_mid_review_keeps_every_committed_write(tmp_path):
    lessons, db = course(tmp_path, ("pa",)), tmp_path / "progress.sqlite3"
    rng = random.Random(9)
    reviews = Counter()
    for round_no in range(10):
        go = tmp_path / f"go{round_no}"
        proc = start(lessons, db, "pa", go, CARDS)
        wait_ready(proc)
        go.touch()
        lines, target = [], rng.randrange(5, 60)   # kill after this many reported writes, plus a bit
        while len(lines) < target:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line)
        time.sleep(rng.uniform(0, 0.02))
        proc.send_signal(signal.SIGKILL)
        # The rest through the same buffered reader: readline may have read lines
        # ahead into its buffer, which communicate() (reading the raw pipe) would skip.
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, (proc.returncode, err)
        lines += out.split("\n")[:-1]      # a line cut short by the kill does not count
        assert "done" not in lines[-1], "the worker finished before it was killed"
        # each round starts its lesson and setting over: only this round's lines say what they hold
        r, steps, settings = reported(lines)
        # killed between a commit and its line: at most one review went unreported
        logged = check_store(db, reviews + r, steps, settings, slack=1)
        reviews = logged   # what is in the store is what the next round builds on
    # and the store goes on working: a last worker runs to the end
    go = tmp_path / "go-last"
    proc = start(lessons, db, "pa", go, 10)
    wait_ready(proc)
    go.touch()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.splitlines()[-1] == "done"
    r, s, t = reported(out.splitlines())
    check_store(db, reviews + r, s, t, slack=0)


def test_two_processes_reviewing_and_advancing_lose_no_write(tmp_path):
    lessons, db = course(tmp_path), tmp_path / "progress.sqlite3"
    Store.open(db).close()   # created beforehand: creating it at once is the next test's subject
    go, count = tmp_path / "go", 40
    procs = {who: start(lessons, db, who, go, count) for who in ("pa", "pb")}
    for proc in procs.values():
        wait_ready(proc)
    go.touch()
    lines = []
    for who, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (who, err)
        assert out.splitlines()[-1] == "done"
        lines += out.splitlines()
    reviews, steps, settings = reported(lines)
    assert reviews["shared.one"] == 2 * count
    assert steps == {"pa": count - 1, "pb": count - 1}
    logged = check_store(db, reviews, steps, settings, slack=0)
    assert sum(logged.values()) == 4 * count


OPENER = """
import os, sys, time
from pathlib import Path
from tutor.store import Store
db, go = Path(sys.argv[1]), Path(sys.argv[2])
os.write(1, b"ready\\n")
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.0005)
store = Store.open(db)
os.write(1, f"{store.path is not None} {store.notice}\\n".encode())
"""


def test_processes_creating_the_store_at_once_all_keep_their_progress(tmp_path):
    """Two or three tutors started together on a fresh machine: each opens the same file.

    None may fall back to an in-memory store (its progress would be lost on exit).
    """
    failures = []
    for trial in range(12):
        db, go = tmp_path / f"t{trial}" / "progress.sqlite3", tmp_path / f"go{trial}"
        procs = [spawn("-c", OPENER, str(db), str(go)) for _ in range(3)]
        for proc in procs:
            wait_ready(proc)
        go.touch()
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            assert proc.returncode == 0, err
            if out.strip() != "True None":
                failures.append(out.strip())
    assert not failures, failures


# -- a store that stops taking writes while the TUI runs -----------------------------------------
class FailingWrites:
    """A connection that reads as usual and fails every write, as on a full disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args):
        if sql.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "BEGIN"):
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)

    def __enter__(self):
        return self._conn.__enter__()

    def __exit__(self, *exc):
        return self._conn.__exit__(*exc)

    def __getattr__(self, name):
        return getattr(self._conn, name)


async def test_failing_writes_mid_lesson_are_a_message_not_a_crash(tmp_path):
    from tutor.screens.lesson import LessonScreen
    from tutor.screens.settings import SettingsScreen

    from .driving import shipped_app

    app = shipped_app(tmp_path, animate=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.store.conn = FailingWrites(app.store.conn)
        lesson = app.course.lessons[0]
        app.open_lesson(lesson)                       # save_step of the first step
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        for _ in lesson.steps:                        # every save_step, then mark_done
            await pilot.press("right")
            await pilot.pause(0.05)
        await pilot.pause()
        app.action_settings()                         # the settings save
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        await pilot.press("t")                        # the theme setting
        await pilot.pause()
        assert app.is_running and app._exception is None
        messages = [n.message for n in app._notifications]
        assert sum("could not be saved" in str(m) for m in messages) == 1   # said once
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, SettingsScreen)


async def test_rows_another_program_wrote_are_skipped_on_the_map_and_reported(tmp_path):
    from .driving import shipped_app

    app = shipped_app(tmp_path, animate=False)
    app.store.save_step("rnn", 1, 7)
    app.store.conn.execute("INSERT INTO lesson_progress VALUES ('attention', 'two', 'x', 0, 'then')")
    app.store.conn.commit()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        assert app.is_running and app._exception is None
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Skipped 1 unreadable row") for m in messages), messages
