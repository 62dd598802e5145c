"""`tutor serve` for a classroom: bounded sizes, sessions that end, a cap, origins, visitors, addresses."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
from pathlib import Path

import pytest

from tutor import serve
from tutor.serve import MAX_HEIGHT, MAX_WIDTH

from .test_serve import SESSION_TIMEOUT, get, running_server, session_processes

PROC = Path("/proc/self/environ").exists()


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").partition("=")[::2] for item in raw if b"=" in item)


def ws_url(base: str, query: str = "") -> str:
    return base.replace("http://", "ws://") + "/ws" + query


async def first_output(ws) -> bytes:
    import aiohttp

    message = await asyncio.wait_for(ws.receive(), timeout=SESSION_TIMEOUT)
    assert message.type == aiohttp.WSMsgType.BINARY, message
    return message.data


async def wait_gone(visitor: str, seconds: float) -> float:
    started = time.monotonic()
    while session_processes(visitor) and time.monotonic() - started < seconds:
        await asyncio.sleep(0.1)
    assert session_processes(visitor) == [], f"still running after {seconds} s"
    return time.monotonic() - started


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    (root / "own-lessons").mkdir()   # a teacher's lessons, passed on to every session
    with running_server(root, "--max-sessions", "2", "--lessons", str(root / "own-lessons")) as running:
        yield running


@pytest.mark.skipif(not PROC, reason="reads /proc")
async def test_the_window_size_is_clamped(classroom):
    import aiohttp

    visitor = "d" * 32
    async with aiohttp.ClientSession(cookies={"tutor_visitor": visitor}) as http:
        async with http.ws_connect(ws_url(classroom.base, "?width=100000&height=400000")) as ws:
            await first_output(ws)
            [pid] = session_processes(visitor)
            env = environ(pid)
            assert (int(env["COLUMNS"]), int(env["ROWS"])) == (MAX_WIDTH, MAX_HEIGHT)
            assert env["TUTOR_LESSONS"] == str(classroom.root / "own-lessons")
            await ws.send_json(["resize", {"width": 10**9, "height": 10**9}])   # and later resizes
            await ws.send_json(["resize", {"width": "x"}])                      # ignored, not fatal
            await ws.send_str("not json")
            await ws.send_json(["stdin", "x"])
            await asyncio.sleep(0.5)
            assert session_processes(visitor) == [pid]
    await wait_gone(visitor, 10)


class FakeSession:
    def __init__(self):
        self.sent = []

    async def send_meta(self, data):
        self.sent.append(data)
        return True


async def test_a_resize_is_clamped_like_the_first_size():
    from tutor.serve_web import Session

    fake = FakeSession()
    assert await Session.resize(fake, {"width": 10**9, "height": -5})
    assert fake.sent == [{"type": "resize", "width": MAX_WIDTH, "height": 1}]


@pytest.mark.skipif(not PROC, reason="reads /proc")
@pytest.mark.parametrize("how", ["closed", "dropped", "app-stopped"])
async def test_a_session_ends_within_seconds_of_its_socket_closing(classroom, how):
    """Closed cleanly, dropped without a word, or with its app stopped (blocked: not reading, not writing)."""
    import aiohttp

    visitor = {"closed": "1", "dropped": "2", "app-stopped": "3"}[how] * 32
    http = aiohttp.ClientSession(cookies={"tutor_visitor": visitor})
    ws = await http.ws_connect(ws_url(classroom.base))
    await first_output(ws)
    [pid] = session_processes(visitor)
    if how == "app-stopped":
        os.kill(pid, signal.SIGSTOP)
    if how == "dropped":   # the TCP connection goes, no close frame
        ws._response.connection.transport.abort()
    else:
        await ws.close()
    await http.close()
    assert await wait_gone(visitor, 10) < 10


async def test_a_full_class_gets_a_page_that_says_so(classroom):
    import aiohttp

    async with aiohttp.ClientSession() as http:
        first = await http.ws_connect(ws_url(classroom.base))
        second = await http.ws_connect(ws_url(classroom.base))
        await first_output(first)
        await first_output(second)
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(classroom.base + "/")
        assert refused.value.code == 503 and b"class is full" in refused.value.read()
        third = await http.ws_connect(ws_url(classroom.base))
        shown = b""
        async for message in third:
            if message.type == aiohttp.WSMsgType.BINARY:
                shown += message.data
        assert b"class is full" in shown
        await first.close()
        await second.close()
    for _ in range(50):   # room again once a session has ended
        try:
            assert get(classroom.base + "/")[0] == 200
            break
        except urllib.error.HTTPError:
            await asyncio.sleep(0.2)
    else:
        pytest.fail("the class stayed full")


async def test_a_websocket_from_another_origin_is_refused(classroom):
    import aiohttp

    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(ws_url(classroom.base), headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
        own = classroom.base
        async with http.ws_connect(ws_url(classroom.base), headers={"Origin": own}) as ws:
            await first_output(ws)
        # DNS rebinding: another name for this loopback server is not answered
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(ws_url(classroom.base), headers={"Host": "evil.example", "Origin": "http://evil.example"})


def test_static_lists_no_directory(classroom):
    for path in ("/static/", "/static/js/", "/static/fonts/"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(classroom.base + path)
        assert refused.value.code in (403, 404)
    assert get(classroom.base + "/static/js/textual.js")[0] == 200


def test_old_visitor_directories_are_forgotten(tmp_path, monkeypatch):
    monkeypatch.delenv("TUTOR_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    root = serve.visitors_dir()
    old, recent, other = root / ("a" * 32), root / ("b" * 32), root / "notes"
    for folder in (old, recent, other):
        folder.mkdir(parents=True)
        (folder / "progress.sqlite3").write_text("x")
    long_ago = time.time() - 100 * 86400
    for folder in (old, other):
        os.utime(folder, (long_ago, long_ago))
    assert serve.forget_old_visitors(90) == 1
    assert not old.exists() and recent.exists() and other.exists()   # only visitor ids are touched


@pytest.mark.parametrize("url, expected", [("http://school.example/", "http://school.example"),
                                           ("HTTPS://Example.org//tutor//", "https://example.org/tutor"),
                                           ("http://[::1]:8000", "http://[::1]:8000")])
def test_urls_are_normalised(url, expected):
    assert serve.normalise_url(url) == expected


def test_an_ipv6_address_is_printed_in_brackets():
    assert serve.host_port("::1", 8000) == "[::1]:8000"
    assert serve.host_port("127.0.0.1", 8000) == "127.0.0.1:8000"
    assert serve.Options(host="::1", port=8001).url == "http://[::1]:8001"


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback here")
def test_serving_on_ipv6_loopback_prints_a_valid_url(tmp_path):
    with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
        sock.bind(("::1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--host", "::1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            cwd=tmp_path, env={**os.environ, "HOME": str(tmp_path)})
    try:
        line = proc.stdout.readline().decode()
        assert f"serving on http://[::1]:{port}" in line
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_serving_on_is_printed_only_once_bound(tmp_path):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "tutor", "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60, cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 1 and "serving on" not in result.stdout + result.stderr
