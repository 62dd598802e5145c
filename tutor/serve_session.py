"""One browser visitor's tutor: the command `tutor serve` runs for each connection.

    TUTOR_VISITOR=ID python -m tutor.serve_session

When TUTOR_HOME is set, progress goes there as usual, shared by every visitor
(a teacher demonstrating on a projector, one learner on their own machine).
Otherwise each visitor keeps their own progress in
`<user data dir>/visitors/<ID>/`, where ID is the id the browser keeps in a
cookie, passed in the environment (not on the command line, where `ps` shows
it): reloading the page resumes where the learner left off, and the
directory's time is touched so that `tutor serve` forgets it only after it
has gone unvisited for a while. Without a valid id (cookies blocked) nothing
could ever resume the session, so it runs in a temporary directory that goes
when it ends.

The session also sets TUTOR_SERVING=1 before the tutor is imported: scene
controls that would name a file on this machine (language_models' text) are
then not offered, so a visitor can never make the server read its files.
"""
from __future__ import annotations

import os
import sys
import tempfile

from tutor.serve import VISITOR_VARIABLE, is_visitor_id, visitors_dir


SERVING = "TUTOR_SERVING"  # read by tutor.scenes.registry (which must not import this module)


def main() -> int:
    os.environ[SERVING] = "1"
    from tutor.cli import main as tutor_main

    if os.environ.get("TUTOR_HOME"):
        return tutor_main([])
    visitor = os.environ.pop(VISITOR_VARIABLE, None)
    if not is_visitor_id(visitor):
        with tempfile.TemporaryDirectory(prefix="tutor-visitor-") as home:
            os.environ["TUTOR_HOME"] = home
            return tutor_main([])
    home = visitors_dir() / visitor
    try:
        home.mkdir(parents=True, exist_ok=True)
        os.utime(home)   # the last visit, for forget_old_visitors
    except OSError:
        pass   # the store says so, and the session keeps progress in memory
    os.environ["TUTOR_HOME"] = str(home)
    return tutor_main([])


if __name__ == "__main__":
    sys.exit(main())
