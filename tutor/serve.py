"""`tutor serve`: the tutor in a web browser, fully offline, one process per connection.

textual-serve does the work: it serves a page with a terminal (xterm.js) and
runs one `python -m tutor.serve_session` per websocket. Two things are ours:

- the page template (tutor/templates/app_index.html) loads nothing from the
  internet and uses origin-relative URLs only, so it works on a network with
  no internet access and whatever address the students type;
- a visitor id kept in a cookie is passed to the session, so each browser
  keeps its own progress across reloads (see tutor.serve_session).
"""
from __future__ import annotations

import asyncio
import copy
import shlex
import sys
from pathlib import Path

from tutor.serve_session import is_visitor_id, new_visitor_id

TEMPLATES = Path(__file__).parent / "templates"
VISITOR_COOKIE = "tutor_visitor"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 3600  # renewed on every visit


def session_command(visitor: str | None = None) -> str:
    """The shell command run for one connection, with this interpreter (same venv)."""
    words = [sys.executable, "-m", "tutor.serve_session"]
    if is_visitor_id(visitor):
        words.append(visitor)
    return shlex.join(words)


def serve(host: str = "127.0.0.1", port: int = 8000, public_url: str | None = None) -> None:
    """Serve the tutor on http://host:port/ until Ctrl+C (or SIGTERM).

    public_url is the address printed at start-up; a path in it (a reverse
    proxy's prefix, https://example.org/tutor) is kept in the page's URLs.
    """
    _make_server(host, port, public_url).serve()


def _make_server(host: str, port: int, public_url: str | None):
    from textual_serve.server import Server  # aiohttp and jinja2: only on this path

    sessions: set[asyncio.Task] = set()  # one per open websocket

    class TutorServer(Server):
        async def on_startup(self, app) -> None:
            self.console.print(f"tutor: serving on {self.public_url}  (Ctrl+C to stop)", highlight=False)
            if host in ("0.0.0.0", "::", ""):
                self.console.print(f"Learners open http://<this machine's address>:{port}/", highlight=False)

        async def on_shutdown(self, app) -> None:
            # aiohttp waits up to 60 s for open websockets before it stops: end each
            # session now (the library then tells its app to quit and closes the socket).
            open_sessions = list(sessions)
            for task in open_sessions:
                task.cancel()
            if open_sessions:
                await asyncio.wait(open_sessions, timeout=10)

        async def handle_index(self, request):
            response = await super().handle_index(request)
            visitor = request.cookies.get(VISITOR_COOKIE)
            response.set_cookie(VISITOR_COOKIE, visitor if is_visitor_id(visitor) else new_visitor_id(),
                                max_age=VISITOR_COOKIE_MAX_AGE, path="/", httponly=True, samesite="Lax")
            return response

        async def handle_websocket(self, request):
            # The library starts the app with `self.command`: handle this
            # connection with a copy of the server whose command names the visitor.
            session = copy.copy(self)
            session.command = session_command(request.cookies.get(VISITOR_COOKIE))
            task = asyncio.current_task()
            sessions.add(task)
            try:
                return await Server.handle_websocket(session, request)
            finally:
                sessions.discard(task)

    return TutorServer(session_command(), host=host, port=port, title="tutor",
                       public_url=public_url, templates_path=TEMPLATES)
