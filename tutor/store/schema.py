"""The progress file's schema: its migrations, the tables it must have, and moving it forward.

The schema is versioned with PRAGMA user_version; MIGRATIONS[i] moves it
from version i to i + 1. No semicolons inside the SQL comments: statements
are split on them.
"""
from __future__ import annotations

import sqlite3

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
    # v2: recall cards.
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
TABLES = ("lesson_progress", "settings", "card_state", "review_log")   # all of them, at SCHEMA_VERSION


def migrate(conn: sqlite3.Connection, version: int) -> None:
    """Apply the migrations from `version` on, each in its own write transaction."""
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


def missing_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables a store at SCHEMA_VERSION must have and this one lacks (a tool dropped them)."""
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return [name for name in TABLES if name not in present]
