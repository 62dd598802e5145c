"""One browser visitor's tutor: the command `tutor serve` runs for each connection.

    python -m tutor.serve_session [VISITOR]

When TUTOR_HOME is set, progress goes there as usual, shared by every visitor
(a teacher demonstrating on a projector, one learner on their own machine).
Otherwise each visitor keeps their own progress in
`<user data dir>/visitors/<VISITOR>/`, where VISITOR is the id the browser
keeps in a cookie: reloading the page, or reconnecting after a laptop slept,
resumes where the learner left off. Without a valid id (cookies blocked) the
session gets a fresh directory of its own and starts from the beginning.

The session also sets TUTOR_SERVING=1 before the tutor is imported: scene
controls that would name a file on this machine (language_models' text) are
then not offered, so a visitor can never make the server read its files.
"""
from __future__ import annotations

import os
import re
import sys
import uuid
from pathlib import Path

VISITOR_ID = re.compile(r"[0-9a-f]{32}")
SERVING = "TUTOR_SERVING"  # read by tutor.scenes.registry (which must not import this module)


def is_visitor_id(text: str | None) -> bool:
    """Only 32 lowercase hex digits: the id becomes a directory name and a shell word."""
    return text is not None and VISITOR_ID.fullmatch(text) is not None


def new_visitor_id() -> str:
    return uuid.uuid4().hex


def visitors_dir() -> Path:
    """Where per-visitor progress directories live (TUTOR_HOME must be unset)."""
    from tutor.paths import data_dir

    return data_dir() / "visitors"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    os.environ[SERVING] = "1"
    if not os.environ.get("TUTOR_HOME"):
        visitor = argv[0] if argv and is_visitor_id(argv[0]) else new_visitor_id()
        os.environ["TUTOR_HOME"] = str(visitors_dir() / visitor)
    from tutor.cli import main as tutor_main

    return tutor_main([])


if __name__ == "__main__":
    sys.exit(main())
