"""Many sessions opened and closed on loopback: no process is left over, the server's memory comes back."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from .test_classroom import first_output, ws_url
from .test_serve import running_server

SESSIONS = 20
MEMORY_SLACK_MB = 25   # the server's own growth allowed after SESSIONS sessions

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


async def one_session(base: str) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(ws_url(base, "?width=100&height=30")) as ws:
            await first_output(ws)


async def settle(pid: int, seconds: float = 15) -> list[int]:
    deadline = time.monotonic() + seconds
    while children(pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    return children(pid)


async def test_sessions_opened_and_closed_leave_nothing_behind(tmp_path):
    with running_server(tmp_path) as running:
        pid = running.proc.pid
        for _ in range(3):   # warm up: imports, the course cache, aiohttp's buffers
            await one_session(running.base)
        assert await settle(pid) == []
        baseline = rss_mb(pid)
        started = time.monotonic()
        for _ in range(SESSIONS):
            await one_session(running.base)
        left = await settle(pid)
        elapsed = time.monotonic() - started
        grown = rss_mb(pid) - baseline
        print(f"{SESSIONS} sessions in {elapsed:.1f} s; server RSS {baseline:.0f} MB, then +{grown:.1f} MB")
        assert left == [], f"{len(left)} session process(es) left over"
        assert grown < MEMORY_SLACK_MB
