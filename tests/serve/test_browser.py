"""`tutor serve` in a real browser: headless Chromium (the distribution's package) driven by Playwright.

The browser sees the course map, opens a lesson and moves a step with the
keyboard; no request leaves the server's origin. Skipped where Chromium or
Playwright's Python package is not installed (Playwright's own browser
download is not used: `executable_path` points at the system's Chromium).
"""
from __future__ import annotations

import re
import shutil
import time
from urllib.parse import urlsplit

import pytest

from .test_serve import running_server

CHROMIUM = next((path for name in ("chromium", "chromium-browser", "google-chrome")
                 if (path := shutil.which(name))), None)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed")


def test_a_browser_sees_the_map_opens_a_lesson_and_moves_a_step(tmp_path):
    with running_server(tmp_path) as running, sync_api.sync_playwright() as playwright:
        origin = urlsplit(running.base).netloc
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            requested: list[str] = []
            received: list[bytes] = []   # what the server sent the page's terminal

            def on_websocket(ws) -> None:
                requested.append(ws.url)
                ws.on("framereceived", lambda data: received.append(
                    data if isinstance(data, bytes) else data.encode()))
            page.on("request", lambda request: requested.append(request.url))
            page.on("websocket", on_websocket)

            def shows(pattern: bytes, since: int = 0, timeout: float = 30) -> bool:
                deadline = time.monotonic() + timeout
                while time.monotonic() < deadline:
                    if re.search(pattern, b"".join(received[since:])):
                        return True
                    page.wait_for_timeout(100)
                return False

            page.goto(running.base + "/")
            assert shows(rb"recurrent"), "no course map"          # the map's first lesson
            page.click("#terminal")
            mark = len(received)
            page.keyboard.press("Enter")                          # open the highlighted lesson
            assert shows(rb"step 1/\d+", mark), "no lesson"
            mark = len(received)
            page.keyboard.press("ArrowRight")                     # the next step
            assert shows(rb"step 2/\d+", mark), "the step did not move"
        finally:
            browser.close()
    assert requested and all(urlsplit(url).netloc == origin for url in requested), \
        [url for url in requested if urlsplit(url).netloc != origin]
    assert any(url.startswith("ws://") for url in requested)
