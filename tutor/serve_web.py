"""The web server of `tutor serve`: textual-serve's page and terminal, made fit for a classroom.

textual-serve serves a page with a terminal (xterm.js) and runs one process
per websocket. What is ours (settings and visitors: tutor.serve):

- the page template (tutor/templates/app_index.html) loads nothing from the
  internet and uses origin-relative URLs only;
- each session is started without a shell, its visitor id in its environment,
  in a process group of its own, and is ended within seconds of its socket
  closing on every path (the browser leaves, the app quits or crashes, a write
  blocks, the server stops): asked to quit, then SIGTERM, then SIGKILL.
  textual-serve's own stop waited on the process, which could block forever;
- the terminal size a browser asks for is clamped (MAX_WIDTH x MAX_HEIGHT);
- at most `max_sessions` at once; beyond, a page says the class is full;
- a websocket from a page of another origin is refused (any web page could
  otherwise start sessions on a learner's 127.0.0.1 server), and a server on
  loopback answers only to loopback names (DNS rebinding);
- /static/ lists no directory; "serving on" is printed once the port is bound.
"""
from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import os
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from tutor.serve import (MAX_HEIGHT, MAX_WIDTH, VISITOR_VARIABLE, Options, forget_old_visitors, is_visitor_id,
                         new_visitor_id, session_environment)

log = logging.getLogger("textual-serve")
TEMPLATES = Path(__file__).parent / "templates"
VISITOR_COOKIE = "tutor_visitor"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 3600  # renewed on every visit
HEARTBEAT = 5.0        # seconds between pings: a browser gone without a word is noticed within ~10 s
WRITE_TIMEOUT = 10.0   # a write to a session or a browser that blocks this long ends the session
QUIT_GRACE = 2.0       # seconds a session has to quit when asked, before SIGTERM (then SIGKILL)
FORGET_EVERY = 3600.0  # seconds between sweeps of old visitor directories
FULL = ("The class is full: {n} learners are using this tutor at the moment. "
        "Try again in a few minutes.")
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


def clamp(value: int, low: int, high: int) -> int:
    return min(max(value, low), high)


class Session(AppService):
    """One browser tab's tutor process."""

    def __init__(self, *args, environment: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.environment = environment
        self._stopped = False

    async def _open_app_process(self, width: int = 80, height: int = 24):
        env = self._build_environment(width=width, height=height)
        env.pop(VISITOR_VARIABLE, None)
        env.update(self.environment)
        self._process = process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tutor.serve_session", stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
            start_new_session=True)   # its own process group: anything it starts ends with it
        self._stdin = process.stdin
        return process

    async def send_bytes(self, data: bytes) -> bool:
        return await self._bounded(super().send_bytes(data))

    async def send_meta(self, data: dict) -> bool:
        return await self._bounded(super().send_meta(data))

    async def _bounded(self, write) -> bool:
        if self._stopped or self._process is None or self._process.returncode is not None:
            write.close()
            return False
        try:
            return await asyncio.wait_for(write, WRITE_TIMEOUT)
        except (asyncio.TimeoutError, OSError):
            return False

    async def resize(self, data) -> bool:
        """A browser's resize, clamped like the first size."""
        width = clamp(int(data["width"]), 1, MAX_WIDTH)
        height = clamp(int(data["height"]), 1, MAX_HEIGHT)
        return await self.send_meta({"type": "resize", "width": width, "height": height})

    @property
    def running(self) -> asyncio.Task | None:
        return self._task

    async def stop(self) -> None:
        """Ask the app to quit; end its process group if it has not within QUIT_GRACE seconds."""
        if self._stopped:
            return
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(super().send_meta({"type": "quit"}), 1.0)
        self._stopped = True
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._download_manager.cancel_app_downloads(
                app_service_id=self.app_service_id), 1.0)
        if process is not None:
            for sig in (None, signal.SIGTERM, signal.SIGKILL):
                if sig is not None and process.returncode is None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(process.pid, sig)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(process.wait(), QUIT_GRACE)
                if process.returncode is not None:
                    break
        if self._task is not None:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._task), 1.0)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None


class TutorServer(Server):
    def __init__(self, options: Options) -> None:
        super().__init__("tutor", host=options.host, port=options.port, title="tutor",
                         public_url=options.url, templates_path=TEMPLATES)
        self.options = options
        self.sessions: set[Session] = set()
        self.handlers: set[asyncio.Task] = set()

    # -- routes ---------------------------------------------------------------------
    async def _make_app(self) -> web.Application:
        app = web.Application()
        import aiohttp_jinja2
        import jinja2

        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_shutdown.append(self.on_shutdown)
        return app

    def _host_allowed(self, request: web.Request) -> bool:
        """A server on loopback answers only to loopback names or its --url (DNS rebinding)."""
        if self.options.host not in LOOPBACK_HOSTS and not self.options.host.startswith("127."):
            return True
        name = urlsplit(f"//{request.host}").hostname or ""
        public = urlsplit(self.options.public_url or "").hostname
        return name in LOOPBACK_HOSTS or name.startswith("127.") or name == public

    def _origin_allowed(self, request: web.Request) -> bool:
        """A browser always sends Origin with a websocket: it must be the page's own."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True
        netloc = urlsplit(origin).netloc.lower()
        allowed = {request.host.lower()}
        if self.options.public_url:
            allowed.add(urlsplit(self.options.public_url).netloc.lower())
        return netloc in allowed

    def _full(self) -> bool:
        return len(self.sessions) >= self.options.max_sessions

    async def handle_index(self, request: web.Request):
        if not self._host_allowed(request):
            raise web.HTTPMisdirectedRequest(text="This tutor answers on its own address only.")
        if self._full():
            return web.Response(status=503, content_type="text/html", headers={"Retry-After": "60"},
                                text=f"<!DOCTYPE html><title>tutor: the class is full</title>"
                                     f"<p>{html.escape(FULL.format(n=len(self.sessions)))}</p>"
                                     '<p><a href="">Try again</a></p>')
        response = await super().handle_index(request)
        visitor = request.cookies.get(VISITOR_COOKIE)
        response.set_cookie(VISITOR_COOKIE, visitor if is_visitor_id(visitor) else new_visitor_id(),
                            max_age=VISITOR_COOKIE_MAX_AGE, path="/", httponly=True, samesite="Lax")
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if not (self._host_allowed(request) and self._origin_allowed(request)):
            raise web.HTTPForbidden(text="A tutor session opens only from the tutor's own page.")
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT)
        await websocket.prepare(request)
        if self._full():
            await websocket.send_bytes(("\r\n  " + FULL.format(n=len(self.sessions)) + "\r\n").encode())
            await websocket.close()
            return websocket
        width = clamp(to_int(request.query.get("width", "80"), 80), 1, MAX_WIDTH)
        height = clamp(to_int(request.query.get("height", "24"), 24), 1, MAX_HEIGHT)

        async def to_browser(data, send=websocket.send_bytes):
            await asyncio.wait_for(send(data), WRITE_TIMEOUT)

        async def text_to_browser(data, send=websocket.send_str):
            await asyncio.wait_for(send(data), WRITE_TIMEOUT)

        session = Session(self.command, write_bytes=to_browser, write_str=text_to_browser,
                          close=websocket.close, download_manager=self.download_manager,
                          environment=session_environment(request.cookies.get(VISITOR_COOKIE)))
        self.sessions.add(session)
        handler = asyncio.current_task()
        self.handlers.add(handler)
        try:
            await session.start(width, height)
            # The app ended (quit, crashed): close the socket, which ends the loop below.
            session.running.add_done_callback(lambda _: asyncio.ensure_future(websocket.close()))
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            pass
        except Exception as error:   # a session's failure is logged; the server goes on
            log.exception(error)
        finally:
            await asyncio.shield(self._end(session, websocket))
            self.handlers.discard(handler)
        return websocket

    async def _end(self, session: Session, websocket: web.WebSocketResponse) -> None:
        try:
            await session.stop()
        finally:
            self.sessions.discard(session)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(websocket.close(), 2.0)

    async def _process_messages(self, websocket: web.WebSocketResponse, session: Session) -> None:
        """textual-serve's loop, with sizes clamped, bad messages ignored and a dead session ending it."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = message.json()
                if kind == "stdin":
                    sent = await session.send_bytes(str(data).encode("utf-8"))
                elif kind == "resize":
                    sent = await session.resize(data)
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                    sent = True
                elif kind in ("blur", "focus"):
                    sent = await session.send_meta({"type": kind})
                else:
                    sent = True
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
            if not sent:
                break

    async def on_shutdown(self, app) -> None:
        # aiohttp waits up to 60 s for open websockets before it stops: end each session now.
        handlers = list(self.handlers)
        for task in handlers:
            task.cancel()
        if handlers:
            await asyncio.wait(handlers, timeout=QUIT_GRACE * 3 + 5)

    # -- running ----------------------------------------------------------------------
    async def run(self) -> None:
        runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.options.host, self.options.port).start()  # OSError: cannot bind
            self.console.print(f"tutor: serving on {self.options.url}  (Ctrl+C to stop)", highlight=False)
            if self.options.host in ("0.0.0.0", "::", ""):
                self.console.print(f"Learners open http://<this machine's address>:{self.options.port}/",
                                   highlight=False)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            sweeper = asyncio.create_task(self._forget_old_visitors())
            await stop.wait()
            sweeper.cancel()
        finally:
            await runner.cleanup()

    async def _forget_old_visitors(self) -> None:
        while True:
            await asyncio.to_thread(forget_old_visitors, self.options.forget_after_days)
            await asyncio.sleep(FORGET_EVERY)


def serve(options: Options) -> None:
    """Serve the tutor until Ctrl+C or SIGTERM; OSError if the address cannot be bound."""
    server = TutorServer(options)
    server.initialize_logging()
    asyncio.run(server.run())
