"""The learner's progress in one SQLite file: lessons, settings, recall cards.

WAL mode and a busy timeout let two tutor processes write at once without
losing anything. The schema is versioned with PRAGMA user_version and moved
forward by MIGRATIONS. A file that is not a usable database, or is from a
newer tutor, is set aside under a timestamped name (never overwritten) and
a fresh store is started; the caller shows `notice` to the learner once.

Cards are keyed by the stable id written in the lesson file. A card's
scheduler state is kept as versioned JSON (the store never interprets it)
beside a `due` column, so due cards are counted with SQL alone. Reviews are
only ever appended: a card removed from a lesson keeps its whole log.
"""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
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
    # v2: recall cards. No semicolons inside comments: statements are split on them.
    """
    CREATE TABLE card_state (
        card_id       TEXT PRIMARY KEY,       -- the stable id from the lesson file
        lesson_id     TEXT NOT NULL,          -- the lesson it was in when last reviewed
        format        INTEGER NOT NULL,       -- version of the state JSON (see tutor.srs)
        state         TEXT NOT NULL,          -- the scheduler's card, as JSON
        due           TEXT NOT NULL,          -- UTC, ISO 8601, fixed width: compares as text
        reps          INTEGER NOT NULL,       -- reviews so far
        introduced_at TEXT NOT NULL,          -- first review (UTC), for the daily new-card limit
        updated_at    TEXT NOT NULL
    );
    CREATE INDEX card_state_due ON card_state (due);
    CREATE TABLE review_log (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        card_id      TEXT NOT NULL,           -- no foreign key: the log outlives its card
        lesson_id    TEXT NOT NULL,
        reviewed_at  TEXT NOT NULL,           -- UTC
        rating       INTEGER NOT NULL,        -- 1 Again, 2 Hard, 3 Good, 4 Easy
        state_before TEXT NOT NULL,           -- new, learning, review or relearning
        due_before   TEXT,                    -- NULL for a new card
        due_after    TEXT NOT NULL,
        answer       TEXT,                    -- what the learner typed or chose, if anything
        seed         INTEGER,                 -- the numbers of an exercise card
        duration_ms  INTEGER
    );
    CREATE INDEX review_log_card ON review_log (card_id, reviewed_at);
    CREATE INDEX review_log_time ON review_log (reviewed_at);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Progress:
    """How far a learner is in one lesson (step is 0-based)."""
    step: int
    steps: int
    done: bool

    def describe(self) -> str:
        if self.done:
            return "done"
        return f"step {self.step + 1} of {self.steps}"


@dataclass(frozen=True)
class StoredCard:
    """A card's row in card_state: scheduler state as opaque, versioned JSON."""
    card_id: str
    lesson_id: str
    format: int
    state: str
    due: datetime
    reps: int
    introduced_at: datetime


@dataclass(frozen=True)
class Review:
    """One row of the review log."""
    card_id: str
    lesson_id: str
    reviewed_at: datetime
    rating: int
    state_before: str
    due_before: datetime | None
    due_after: datetime
    answer: str | None = None
    seed: int | None = None
    duration_ms: int | None = None


@dataclass(frozen=True)
class Reviewed:
    """What a review writes: the card's new state and its log entry."""
    card: StoredCard
    review: Review


class StoreError(Exception):
    """The file is not a store this tutor can use."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def utc_text(moment: datetime) -> str:
    """A timezone-aware datetime as fixed-width UTC text, so text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: card times must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def from_utc_text(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(timezone.utc)


_CARD_COLUMNS = "card_id, lesson_id, format, state, due, reps, introduced_at"
_REVIEW_COLUMNS = ("card_id, lesson_id, reviewed_at, rating, state_before, due_before, due_after, "
                   "answer, seed, duration_ms")


def _card(row: tuple) -> StoredCard:
    return StoredCard(row[0], row[1], row[2], row[3], from_utc_text(row[4]), row[5], from_utc_text(row[6]))


def _review(row: tuple) -> Review:
    return Review(row[0], row[1], from_utc_text(row[2]), row[3], row[4],
                  None if row[5] is None else from_utc_text(row[5]), from_utc_text(row[6]),
                  row[7], row[8], row[9])


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


    # -- cards and reviews ---------------------------------------------------------------
    def card(self, card_id: str) -> StoredCard | None:
        row = self.conn.execute(f"SELECT {_CARD_COLUMNS} FROM card_state WHERE card_id = ?",
                                (card_id,)).fetchone()
        return None if row is None else _card(row)

    def cards(self, card_ids: Iterable[str]) -> dict[str, StoredCard]:
        """The stored state of those cards that have been reviewed (new cards have none)."""
        rows = self.conn.execute(
            f"SELECT {_CARD_COLUMNS} FROM card_state WHERE card_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(card_ids)),))
        return {row[0]: _card(row) for row in rows}

    def record_review(self, card_id: str, review: Callable[[StoredCard | None], Reviewed]) -> Reviewed:
        """Apply one review atomically: read the card's state, compute, write state and log.

        `review` gets the state as it is now, inside a write transaction, so two
        processes reviewing the same card are applied one after the other and no
        review is lost.
        """
        with self._writing():
            done = review(self.card(card_id))
            c, r = done.card, done.review
            if c.card_id != card_id or r.card_id != card_id:
                raise ValueError(f"a review of {card_id!r} returned another card")
            self.conn.execute(
                f"""INSERT INTO card_state ({_CARD_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(card_id) DO UPDATE SET lesson_id = excluded.lesson_id,
                        format = excluded.format, state = excluded.state, due = excluded.due,
                        reps = excluded.reps, updated_at = excluded.updated_at""",
                (c.card_id, c.lesson_id, c.format, c.state, utc_text(c.due), c.reps,
                 utc_text(c.introduced_at), _now()))
            self.conn.execute(
                f"INSERT INTO review_log ({_REVIEW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (r.card_id, r.lesson_id, utc_text(r.reviewed_at), r.rating, r.state_before,
                 None if r.due_before is None else utc_text(r.due_before), utc_text(r.due_after),
                 r.answer, r.seed, r.duration_ms))
        return done

    def forget_cards(self, card_ids: Iterable[str] | None = None) -> int:
        """Return cards to new (all if None): their schedules go, the review log stays."""
        with self._writing():
            if card_ids is None:
                cursor = self.conn.execute("DELETE FROM card_state")
            else:
                cursor = self.conn.execute(
                    "DELETE FROM card_state WHERE card_id IN (SELECT value FROM json_each(?))",
                    (json.dumps(list(card_ids)),))
        return cursor.rowcount

    def reviews(self, card_id: str | None = None, since: datetime | None = None) -> list[Review]:
        """The review log in time order, for one card or all, optionally from a time on."""
        where, args = [], []
        if card_id is not None:
            where.append("card_id = ?")
            args.append(card_id)
        if since is not None:
            where.append("reviewed_at >= ?")
            args.append(utc_text(since))
        sql = f"SELECT {_REVIEW_COLUMNS} FROM review_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_review(row) for row in self.conn.execute(sql + " ORDER BY reviewed_at, id", args)]

    def due_counts(self, lessons: Mapping[str, str], before: datetime) -> dict[str, int]:
        """Cards due before a time, per lesson, among `lessons` (card id -> lesson id).

        Only the cards named count, so a card taken out of the course stops being due.
        """
        rows = self.conn.execute(
            """SELECT j.value, COUNT(*) FROM card_state s JOIN json_each(?) j ON j.key = s.card_id
               WHERE s.due < ? GROUP BY j.value""", (json.dumps(dict(lessons)), utc_text(before)))
        return dict(rows.fetchall())

    def dues(self, card_ids: Iterable[str]) -> list[datetime]:
        """The due times of those cards that have been reviewed, earliest first."""
        rows = self.conn.execute(
            "SELECT due FROM card_state WHERE card_id IN (SELECT value FROM json_each(?)) ORDER BY due",
            (json.dumps(list(card_ids)),))
        return [from_utc_text(row[0]) for row in rows]

    def introduced_since(self, since: datetime) -> int:
        """How many cards had their first review at or after `since` (the daily new-card count)."""
        return self.conn.execute("SELECT COUNT(*) FROM card_state WHERE introduced_at >= ?",
                                 (utc_text(since),)).fetchone()[0]

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A write transaction that takes the write lock up front (waits up to the busy timeout)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()


def _connect(path: Path) -> sqlite3.Connection:
    """Connect, check the file is sound, and migrate it to SCHEMA_VERSION."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                           check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if str(path) != ":memory:":
            # integrity_check, not quick_check: only it finds a scribbled page, and
            # on a store this size it costs milliseconds.
            check = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
            if check != "ok":
                raise StoreError(f"damaged: {check}")
            if _empty_for_a_while(path):
                raise StoreError("the file is empty")
            _enable_wal(conn)
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


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting out another process doing the same.

    Setting the journal mode does not honour the busy timeout: two tutors
    opening a fresh store together got "database is locked" at once, and one
    fell back to memory and lost its progress.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _empty_for_a_while(path: Path) -> bool:
    """A zero-byte store that is not brand new: its progress was lost.

    A store another tutor process has just created is empty for a moment too,
    so only a file older than a few seconds counts.
    """
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_size == 0 and time.time() - stat.st_mtime > 5


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
