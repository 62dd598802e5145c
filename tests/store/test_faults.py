"""Faults that say nothing about the file keep it; only proven damage sets it aside; bad rows are skipped.

A full disk used to be taken for damage: the healthy progress file was renamed
aside and every lesson showed "not started".
"""
from __future__ import annotations

import errno
import sqlite3

import pytest

from tutor.store import Store, StoreError, StoreUnavailable, opening
from tutor.store.opening import classify


def saved(path):
    store = Store.open(path)
    store.save_step("rnn", 3, 7)
    store.mark_done("lstm-gru", 5)
    store.close()
    return path.read_bytes()


def names(directory) -> set[str]:
    return {p.name for p in directory.iterdir()}


def sqlite_error(message: str, code: int) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code
    return error


# SQLite's primary result codes (sqlite3.h) and extended ones seen on a full disk.
NOT_DAMAGE = {
    "disk I/O error (shm open)": sqlite_error("disk I/O error", 10 | (18 << 8)),
    "database or disk is full": sqlite_error("database or disk is full", 13),
    "database is locked": sqlite_error("database is locked", 5),
    "database table is locked": sqlite_error("database table is locked", 6),
    "attempt to write a readonly database": sqlite_error("attempt to write a readonly database", 8),
    "unable to open database file": sqlite_error("unable to open database file", 14),
    "access permission denied": sqlite_error("access permission denied", 3),
    "no space left (OSError)": OSError(errno.ENOSPC, "No space left on device"),
    "an error with no code": sqlite3.OperationalError("something else"),
}
DAMAGE = {
    "malformed": sqlite_error("database disk image is malformed", 11),
    "not a database": sqlite_error("file is not a database", 26),
}


@pytest.mark.parametrize("error", list(NOT_DAMAGE.values()), ids=list(NOT_DAMAGE))
def test_an_error_that_proves_nothing_keeps_the_file_and_works_in_memory(tmp_path, monkeypatch, error):
    path = tmp_path / "progress.sqlite3"
    before = saved(path)

    def fail(conn):
        raise error
    monkeypatch.setattr(opening, "_enable_wal", fail)
    store = Store.open(path)
    assert store.path is None and "left as it is" in store.notice and "in memory only" in store.notice
    assert names(tmp_path) == {"progress.sqlite3"} and path.read_bytes() == before
    assert store.progress("rnn").step == 3 and store.progress("lstm-gru").done   # what the learner had
    store.save_step("rnn", 4, 7)   # the session goes on, in memory
    assert store.progress("rnn").step == 4
    monkeypatch.undo()
    again = Store.open(path)       # the fault gone: everything is still there
    assert again.notice is None and again.progress("rnn").step == 3 and again.progress("lstm-gru").done


@pytest.mark.parametrize("error", list(DAMAGE.values()), ids=list(DAMAGE))
def test_an_error_that_proves_damage_sets_the_file_aside(tmp_path, monkeypatch, error):
    path = tmp_path / "progress.sqlite3"
    saved(path)
    calls = []

    def fail_once(conn):
        calls.append(1)
        if len(calls) == 1:
            raise error
    monkeypatch.setattr(opening, "_enable_wal", fail_once)
    store = Store.open(path)
    assert store.path == path and "was kept as progress.sqlite3.damaged-" in store.notice


def test_classification_follows_the_result_code():
    assert all(isinstance(classify(e), StoreUnavailable) for e in NOT_DAMAGE.values()
               if isinstance(e, sqlite3.Error))
    assert all(isinstance(classify(e), StoreError) for e in DAMAGE.values())


@pytest.mark.parametrize("table", ["lesson_progress", "settings", "card_state", "review_log"])
def test_a_missing_table_means_the_store_is_damaged(tmp_path, table):
    path = tmp_path / "progress.sqlite3"
    saved(path)
    conn = sqlite3.connect(path)
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    kept = Store.open(path, set_aside_damage=False)   # a read-only command: nothing moves
    assert kept.path is None and f"{table} is missing" in kept.notice and "left as it is" in kept.notice
    assert names(tmp_path) == {"progress.sqlite3"}
    store = Store.open(path)
    assert f"{table} is missing" in store.notice and "was kept as" in store.notice
    store.save_step("rnn", 1, 7)
    assert store.progress("rnn").step == 1


def test_rows_a_careless_tool_wrote_are_skipped_and_counted(tmp_path):
    path = tmp_path / "progress.sqlite3"
    saved(path)
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO lesson_progress VALUES (?, ?, ?, ?, ?)",
                     [("attention", "three", 7, 0, "x"), ("seq2seq", 2, "7 steps", 0, "x"), ("bad-done", 1, 4, 7, "x")])
    good = ("rnn.c1", "rnn", "2026-01-02T03:04:05.000000+00:00", 3, "review", None,
            "2026-01-05T03:04:05.000000+00:00", None, None, None)
    bad_date = good[:2] + ("yesterday",) + good[3:]
    bad_rating = good[:3] + ("good",) + good[4:]
    conn.executemany("INSERT INTO review_log (card_id, lesson_id, reviewed_at, rating, state_before, due_before, "
                     "due_after, answer, seed, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [good, bad_date, bad_rating])
    conn.execute("INSERT INTO card_state VALUES ('rnn.c2', 'rnn', 1, '{}', 'soon', 1, 'then', 'now')")
    conn.commit()
    conn.close()
    store = Store.open(path)
    assert set(store.all_progress()) == {"rnn", "lstm-gru"}
    assert store.progress("attention") is None
    assert len(store.reviews()) == 1 and store.cards(["rnn.c2"]) == {} and store.dues(["rnn.c2"]) == []
    notice = store.skipped_notice()
    assert notice.startswith("skipped 6 unreadable rows") and "\n" not in notice
    assert "lesson_progress: step 'three' is not a whole number" in notice
