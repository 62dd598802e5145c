"""The learner's progress in one SQLite file: lessons, settings (and later cards).

WAL mode and a busy timeout let two tutor processes write at once without
losing anything. The schema is versioned with PRAGMA user_version and moved
forward by MIGRATIONS. A file that is not a usable database, or is from a
newer tutor, is set aside under a timestamped name (never overwritten) and
a fresh store is started; the caller shows `notice` to the learner once.
"""
from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

BUSY_TIMEOUT_MS = 10_000

# MIGRATIONS[i] moves the schema from version i to i + 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE lesson_progress (
        lesson_id  TEXT PRIMARY KEY,
        step       INTEGER NOT NULL,          -- 0-based index of the last step seen
        steps      INTEGER NOT NULL,          -- how many steps the lesson had then
        done       INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Progress:
    step: int
    steps: int
    done: bool

    def describe(self) -> str:
        if self.done:
            return "done"
        return f"step {self.step + 1} of {self.steps}"


class StoreError(Exception):
    """The file is not a store this tutor can use."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, notice: str | None = None):
        self.conn, self.path, self.notice = conn, path, notice

    # -- opening ----------------------------------------------------------------
    @classmethod
    def open(cls, path: Path) -> "Store":
        """Open (or create) the store at path; never raises for a bad file."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return cls.memory(f"Progress cannot be saved ({path.parent}: {exc.strerror}); "
                              "this session keeps it in memory only.")
        try:
            return cls(_connect(path), path)
        except StoreError as exc:
            aside = _set_aside(path)
            try:
                store = cls(_connect(path), path)
            except (StoreError, sqlite3.Error, OSError) as again:
                return cls.memory(f"Progress cannot be saved ({again}); this session keeps it in memory only.")
            store.notice = f"The progress file was unusable ({exc}). It was kept as {aside.name} and a fresh one started."
            return store
        except (sqlite3.OperationalError, OSError) as exc:  # read-only directory, locked, …
            return cls.memory(f"Progress cannot be saved ({exc}); this session keeps it in memory only.")

    @classmethod
    def memory(cls, notice: str | None = None) -> "Store":
        return cls(_connect(Path(":memory:")), None, notice)

    def close(self) -> None:
        self.conn.close()

    # -- lesson progress -----------------------------------------------------------
    def progress(self, lesson_id: str) -> Progress | None:
        row = self.conn.execute(
            "SELECT step, steps, done FROM lesson_progress WHERE lesson_id = ?", (lesson_id,)).fetchone()
        return None if row is None else Progress(row[0], row[1], bool(row[2]))

    def all_progress(self) -> dict[str, Progress]:
        rows = self.conn.execute("SELECT lesson_id, step, steps, done FROM lesson_progress")
        return {r[0]: Progress(r[1], r[2], bool(r[3])) for r in rows}

    def save_step(self, lesson_id: str, step: int, steps: int) -> None:
        with self.conn:
            self.conn.execute(
                """INSERT INTO lesson_progress (lesson_id, step, steps, done, updated_at)
                   VALUES (?, ?, ?, 0, ?)
                   ON CONFLICT(lesson_id) DO UPDATE SET step = excluded.step,
                       steps = excluded.steps, updated_at = excluded.updated_at""",
                (lesson_id, step, steps, _now()))

    def mark_done(self, lesson_id: str, steps: int) -> None:
        with self.conn:
            self.conn.execute(
                """INSERT INTO lesson_progress (lesson_id, step, steps, done, updated_at)
                   VALUES (?, ?, ?, 1, ?)
                   ON CONFLICT(lesson_id) DO UPDATE SET done = 1, step = excluded.step,
                       steps = excluded.steps, updated_at = excluded.updated_at""",
                (lesson_id, steps - 1, steps, _now()))

    def reset(self, lesson_id: str | None = None) -> None:
        with self.conn:
            if lesson_id is None:
                self.conn.execute("DELETE FROM lesson_progress")
            else:
                self.conn.execute("DELETE FROM lesson_progress WHERE lesson_id = ?", (lesson_id,))

    # -- settings ---------------------------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else row[0]

    def set_setting(self, key: str, value: str) -> None:
        with self.conn:
            self.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def _connect(path: Path) -> sqlite3.Connection:
    """Connect, check the file is sound, and migrate it to SCHEMA_VERSION."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if str(path) != ":memory:":
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StoreError(f"damaged: {check}")
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"written by a newer tutor (schema {version}, this one knows {SCHEMA_VERSION})")
        _migrate(conn, version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        if isinstance(exc, sqlite3.OperationalError) and ("readonly" in str(exc) or "unable to open" in str(exc)):
            raise
        raise StoreError(str(exc)) from exc
    except StoreError:
        conn.close()
        raise
    conn.isolation_level = ""  # back to implicit transactions for `with conn:`
    return conn


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    while version < SCHEMA_VERSION:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current == version:  # another process may have migrated meanwhile
                for statement in filter(str.strip, MIGRATIONS[version].split(";")):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version = conn.execute("PRAGMA user_version").fetchone()[0]


def _set_aside(path: Path) -> Path:
    """Rename a bad store (and its WAL files) to a timestamped name beside it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
        n += 1
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(aside.with_name(aside.name + suffix))
    return aside
