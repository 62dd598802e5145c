"""The learner's progress in one SQLite file: lessons, settings, recall cards.

WAL mode and a busy timeout let two tutor processes write at once without
losing anything. A file proven damaged, or from a newer tutor, is set aside
under a timestamped name (never overwritten) and a fresh store is started;
a file that cannot be used now (full disk, I/O error, lock, permission) is
left alone and the session keeps its progress in memory. Either way the
caller shows `notice` to the learner once (tutor.store.opening).

Cards are keyed by the stable id written in the lesson file. A card's
scheduler state is kept as versioned JSON (the store never interprets it)
beside a `due` column, so due cards are counted with SQL alone. Reviews are
only ever appended: a card removed from a lesson keeps its whole log.

Every row read is checked (tutor.store.records): a bad one is skipped and
counted in `skipped`, and `skipped_notice()` reports them in one line.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from tutor.store.opening import StoreError, StoreUnavailable, connect, set_aside, snapshot
from tutor.store.records import (CARD_COLUMNS, PROGRESS_COLUMNS, REVIEW_COLUMNS, BadRow, Progress, Review,
                                 Reviewed, StoredCard, card_row, from_utc_text, progress_row, review_row,
                                 utc_text)

T = TypeVar("T")
IN_MEMORY = "this session keeps progress in memory only"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, conn: sqlite3.Connection, path: Path | None, notice: str | None = None):
        self.conn, self.path, self.notice = conn, path, notice
        self.skipped: dict[str, dict[tuple, str]] = {}   # table -> {bad row: its problem}, first first
        # Set by the app: called instead of raising when a progress or settings write fails,
        # so a full disk mid-lesson is a message, not a crash. Reviews always raise.
        self.on_write_error: Callable[[Exception], None] | None = None

    # -- opening ----------------------------------------------------------------
    @classmethod
    def open(cls, path: Path, *, set_aside_damage: bool = True) -> "Store":
        """Open (or create) the store at path; never raises for a bad file.

        set_aside_damage=False (the read-only commands) leaves even a damaged
        file where it is and works in memory.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return cls.memory(f"Progress cannot be saved ({path.parent}: {exc.strerror}); {IN_MEMORY}.")
        try:
            return cls(connect(path), path)
        except StoreUnavailable as exc:
            copy = snapshot(path)
            shown = " (what you had is shown)" if copy is not None else ""
            notice = (f"The progress file cannot be used now ({exc}); it was left as it is and "
                      f"{IN_MEMORY}{shown}.")
            return cls(copy, None, notice) if copy is not None else cls.memory(notice)
        except StoreError as exc:
            damage = exc
        if not set_aside_damage:
            return cls.memory(f"The progress file is unusable ({damage}); it was left as it is "
                              "(opening the tutor sets it aside and starts a fresh one).")
        try:
            aside = set_aside(path)
        except OSError as exc:
            return cls.memory(f"The progress file is unusable ({damage}) and cannot be set aside "
                              f"({exc.strerror or exc}); {IN_MEMORY}.")
        try:
            store = cls(connect(path), path)
        except (StoreError, StoreUnavailable) as again:
            return cls.memory(f"The progress file was unusable ({damage}); it was kept as {aside.name}, "
                              f"and a fresh one cannot be started ({again}); {IN_MEMORY}.")
        store.notice = f"The progress file was unusable ({damage}). It was kept as {aside.name} and a fresh one started."
        return store

    @classmethod
    def memory(cls, notice: str | None = None) -> "Store":
        return cls(connect(Path(":memory:")), None, notice)

    def close(self) -> None:
        self.conn.close()

    # -- rows that do not read -----------------------------------------------------
    def _parsed(self, table: str, rows: Iterable[tuple], parse: Callable[[tuple], T]) -> Iterator[T]:
        for row in rows:
            try:
                yield parse(row)
            except BadRow as exc:
                self.skipped.setdefault(table, {}).setdefault(tuple(row), str(exc))

    def skipped_notice(self) -> str | None:
        """One line naming the unreadable rows skipped so far, or None."""
        if not self.skipped:
            return None
        total = sum(len(rows) for rows in self.skipped.values())
        table, rows = next(iter(self.skipped.items()))
        first = next(iter(rows.values()))
        return (f"skipped {total} unreadable row{'s' if total != 1 else ''} in the progress file "
                f"(written by another program?); first, in {table}: {first}")

    # -- writes the learner should not lose a lesson over ------------------------------
    def _write(self, sql: str, args: tuple = ()) -> None:
        try:
            with self.conn:
                self.conn.execute(sql, args)
        except sqlite3.Error as exc:
            if self.on_write_error is None:
                raise
            self.on_write_error(exc)

    # -- lesson progress -----------------------------------------------------------
    def progress(self, lesson_id: str) -> Progress | None:
        rows = self.conn.execute(f"SELECT {PROGRESS_COLUMNS} FROM lesson_progress WHERE lesson_id = ?",
                                 (lesson_id,)).fetchall()
        return next((p for _, p in self._parsed("lesson_progress", rows, progress_row)), None)

    def all_progress(self) -> dict[str, Progress]:
        rows = self.conn.execute(f"SELECT {PROGRESS_COLUMNS} FROM lesson_progress")
        return dict(self._parsed("lesson_progress", rows, progress_row))

    def save_step(self, lesson_id: str, step: int, steps: int) -> None:
        self._write(
            """INSERT INTO lesson_progress (lesson_id, step, steps, done, updated_at)
               VALUES (?, ?, ?, 0, ?)
               ON CONFLICT(lesson_id) DO UPDATE SET step = excluded.step,
                   steps = excluded.steps, updated_at = excluded.updated_at""",
            (lesson_id, step, steps, _now()))

    def mark_done(self, lesson_id: str, steps: int) -> None:
        self._write(
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
        return default if row is None or not isinstance(row[0], str) else row[0]

    def set_setting(self, key: str, value: str) -> None:
        self._write("INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # -- cards and reviews ---------------------------------------------------------------
    def card(self, card_id: str) -> StoredCard | None:
        rows = self.conn.execute(f"SELECT {CARD_COLUMNS} FROM card_state WHERE card_id = ?",
                                 (card_id,)).fetchall()
        return next(self._parsed("card_state", rows, card_row), None)

    def cards(self, card_ids: Iterable[str]) -> dict[str, StoredCard]:
        """The stored state of those cards that have been reviewed (new cards have none)."""
        rows = self.conn.execute(
            f"SELECT {CARD_COLUMNS} FROM card_state WHERE card_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(card_ids)),))
        return {card.card_id: card for card in self._parsed("card_state", rows, card_row)}

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
                f"""INSERT INTO card_state ({CARD_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(card_id) DO UPDATE SET lesson_id = excluded.lesson_id,
                        format = excluded.format, state = excluded.state, due = excluded.due,
                        reps = excluded.reps, updated_at = excluded.updated_at""",
                (c.card_id, c.lesson_id, c.format, c.state, utc_text(c.due), c.reps,
                 utc_text(c.introduced_at), _now()))
            self.conn.execute(
                f"INSERT INTO review_log ({REVIEW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
        sql = f"SELECT {REVIEW_COLUMNS} FROM review_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.conn.execute(sql + " ORDER BY reviewed_at, id", args)
        return list(self._parsed("review_log", rows, review_row))

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
        return sorted(card.due for card in self.cards(card_ids).values())

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


__all__ = ["Store", "StoreError", "StoreUnavailable", "from_utc_text", "utc_text"]
