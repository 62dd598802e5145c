"""A damaged progress file is set aside (never overwritten), reported once, and the tutor goes on."""
from __future__ import annotations

import os
import sqlite3
import time

import pytest

from tutor.store import SCHEMA_VERSION, Store


def good_store(path):
    store = Store.open(path)
    for i in range(200):  # enough rows for several pages
        store.save_step(f"lesson-{i:03d}-{'x' * 40}", i % 7, 7)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path.read_bytes()


def scribble(data: bytes) -> bytes:
    """Random bytes over the middle of a page that holds progress rows."""
    page = 4096
    start = data.index(b"lesson-100") // page * page
    assert start > 0, "the row should not live on the header page"
    return data[:start + 100] + os.urandom(page - 200) + data[start + page - 100:]


DAMAGE = {
    "random_bytes": lambda data: os.urandom(len(data)),
    "truncated": lambda data: data[: len(data) // 2 + 17],
    "zero_bytes": lambda data: b"",
    "scribbled_page": scribble,
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damage_is_set_aside_reported_and_the_store_works(tmp_path, kind):
    path = tmp_path / "progress.sqlite3"
    original = good_store(path)
    damaged = DAMAGE[kind](original)
    path.write_bytes(damaged)
    os.utime(path, (time.time() - 60, time.time() - 60))  # damaged a while ago, not being created now
    store = Store.open(path)
    assert store.notice and "was kept as progress.sqlite3.damaged-" in store.notice, kind
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # kept byte for byte
    store.save_step("rnn", 4, 7)
    assert store.progress("rnn").step == 4
    store.close()
    again = Store.open(path)  # told once: the fresh file is fine next time
    assert again.notice is None and again.progress("rnn").step == 4


def test_newer_schema_is_kept_and_reported(tmp_path):
    path = tmp_path / "progress.sqlite3"
    good_store(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    store = Store.open(path)
    assert "newer tutor" in store.notice
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert sqlite3.connect(aside[0]).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_two_damaged_starts_in_one_second_keep_both_files(tmp_path):
    path = tmp_path / "progress.sqlite3"
    for n in range(2):
        path.write_bytes(os.urandom(3000))
        Store.open(path).close()
    aside = [p for p in tmp_path.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 2


def test_unwritable_location_keeps_the_session_in_memory(tmp_path, monkeypatch):
    if os.geteuid() != 0:
        directory = tmp_path / "ro"
        directory.mkdir()
        directory.chmod(0o500)
        target = directory / "sub" / "progress.sqlite3"
    else:  # root ignores permissions: a path under a regular file cannot be created either
        (tmp_path / "file").write_text("x")
        target = tmp_path / "file" / "sub" / "progress.sqlite3"
    store = Store.open(target)
    assert store.path is None and "in memory only" in store.notice
    store.save_step("rnn", 1, 7)
    assert store.progress("rnn").step == 1


def test_a_store_being_created_by_another_process_is_not_set_aside(tmp_path):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"")  # just created, schema not yet written
    store = Store.open(path)
    assert store.notice is None
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 256 KB tmpfs (mounting needs root; skipped where the machine does not allow it)."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip() or result.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory) -> None:
    filler = directory / "filler"
    try:
        with open(filler, "wb", buffering=0) as f:
            while True:
                f.write(b"x" * 4096)
    except OSError as exc:
        assert exc.errno == 28  # ENOSPC: the disk is full


def test_a_full_disk_keeps_the_progress_file(tiny_disk):
    path = tiny_disk / "progress.sqlite3"
    store = Store.open(path)
    store.save_step("rnn", 3, 7)
    store.close()
    before = path.read_bytes()
    fill(tiny_disk)
    for _ in range(2):   # and the next start, still full
        full = Store.open(path)
        assert {p.name for p in tiny_disk.iterdir()} <= {"progress.sqlite3", "filler", "progress.sqlite3-wal",
                                                         "progress.sqlite3-shm"}, "set aside"
        assert path.read_bytes() == before
        assert full.path is None and "left as it is" in full.notice and "in memory only" in full.notice
        assert full.progress("rnn").step == 3   # what the learner had is shown, not "not started"
        full.save_step("rnn", 5, 7)  # the session goes on, in memory
        full.close()
    (tiny_disk / "filler").unlink()
    freed = Store.open(path)   # space again: nothing was lost
    assert freed.notice is None and freed.progress("rnn").step == 3
    freed.save_step("rnn", 4, 7)
    assert freed.progress("rnn").step == 4
    freed.close()
