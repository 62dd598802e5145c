"""Opening the progress file, and telling a damaged file from one that cannot be reached now.

Only a file proven damaged may be set aside: it is not a database, SQLite
finds it malformed, it fails the integrity check, a table is missing, it was
written by a newer tutor, or it has been empty for a while. Anything else
(a full disk, an I/O error, a lock held too long, a permission refused) says
nothing about the file: it is left exactly as it is, and the caller works in
memory for this session. A full disk used to be taken for damage: the
healthy file was renamed aside and every lesson showed "not started".
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from tutor.store.schema import SCHEMA_VERSION, migrate, missing_tables

BUSY_TIMEOUT_MS = 10_000
# SQLite's primary result codes that say the file itself is bad (sqlite3.h).
SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26


class StoreError(Exception):
    """The file is not a store this tutor can use: proven damaged, or from a newer tutor."""


class StoreUnavailable(Exception):
    """The file cannot be used now (disk full, I/O error, locked, no permission); it may be fine."""


def classify(exc: sqlite3.Error) -> Exception:
    """StoreError for an error that proves the file bad, StoreUnavailable for any other."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return StoreError(str(exc))
    return StoreUnavailable(str(exc))


def connect(path: Path) -> sqlite3.Connection:
    """Connect, check the file is sound, and migrate it to SCHEMA_VERSION.

    Raises StoreError for a damaged file, StoreUnavailable for one that cannot be used now.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    try:
        _prepare(conn, path)
    except sqlite3.Error as exc:
        conn.close()
        raise classify(exc) from exc
    except OSError as exc:
        conn.close()
        raise StoreUnavailable(exc.strerror or str(exc)) from exc
    except StoreError:
        conn.close()
        raise
    conn.isolation_level = ""  # back to implicit transactions for `with conn:`
    return conn


def snapshot(path: Path) -> sqlite3.Connection | None:
    """The file's progress copied into memory, read without writing anything beside it, or None.

    For a file that cannot be used now (a full disk cannot even make its -shm
    file): the session keeps its progress in memory, but starts from what the
    learner had, instead of showing every lesson "not started". `immutable`
    reads the main file only: writes still in a -wal file are not shown (they
    are not lost either).
    """
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except (sqlite3.Error, OSError, ValueError):
        return None
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    try:
        if source.execute("PRAGMA integrity_check(1)").fetchone()[0] != "ok":
            raise StoreError("damaged")
        source.backup(memory)
        _prepare(memory, Path(":memory:"))
    except (sqlite3.Error, StoreError):
        memory.close()
        return None
    finally:
        source.close()
    memory.isolation_level = ""
    return memory


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
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
    migrate(conn, version)
    missing = missing_tables(conn)
    if missing:
        raise StoreError(f"damaged: the table{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                         f"{'are' if len(missing) > 1 else 'is'} missing")


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


def set_aside(path: Path) -> Path:
    """Rename a damaged store (and its WAL files) to a timestamped name beside it."""
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
