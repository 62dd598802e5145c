"""The progress store: round trips, migrations, damaged files set aside."""
import os
import sqlite3

from tutor.store import SCHEMA_VERSION, Store


def test_round_trip_and_done(tmp_path):
    path = tmp_path / "p.sqlite3"
    store = Store.open(path)
    store.save_step("rnn", 3, 7)
    store.close()
    store = Store.open(path)
    assert store.progress("rnn").step == 3 and not store.progress("rnn").done
    store.mark_done("rnn", 7)
    assert store.progress("rnn").done and store.progress("rnn").describe() == "done"
    store.save_step("rnn", 1, 7)  # revisiting a finished lesson keeps it done
    assert store.progress("rnn").done
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_garbage_file_is_set_aside_and_reported(tmp_path):
    path = tmp_path / "p.sqlite3"
    junk = os.urandom(4096)
    path.write_bytes(junk)
    store = Store.open(path)
    assert store.notice and "was kept as p.sqlite3.damaged-" in store.notice
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == junk  # nothing lost
    store.save_step("rnn", 0, 7)
    assert store.progress("rnn").step == 0


def test_newer_schema_is_set_aside_not_overwritten(tmp_path):
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    store = Store.open(path)
    assert "newer tutor" in store.notice
    assert any(".damaged-" in p.name for p in tmp_path.iterdir())


def test_unwritable_directory_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = Store.open(blocker / "sub" / "p.sqlite3")
    assert store.path is None and "cannot be saved" in store.notice
    store.save_step("rnn", 2, 7)
    assert store.progress("rnn").step == 2
