"""`tutor serve`'s settings: the options checked and normalised, addresses, and visitors.

The web server itself is tutor.serve_web; one browser tab's tutor is
tutor.serve_session. This module imports neither (no import cycle): both use it.

Visitors. A visitor id kept in a cookie (32 hex digits) names the directory
that keeps one browser's progress, `<data dir>/visitors/<ID>/`, so reloading
the page resumes where the learner left off. The id reaches the session's
process in its environment (TUTOR_VISITOR), never on its command line, where
`ps` would show it to every user of the machine: the id is all that keeps one
learner's progress from another's. A directory not visited for
`forget_after_days` is deleted. The parsed course is cached once for all
visitors (TUTOR_CACHE), not copied into each directory.
"""
from __future__ import annotations

import ipaddress
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

VISITOR_ID = re.compile(r"[0-9a-f]{32}")
VISITOR_VARIABLE = "TUTOR_VISITOR"
CACHE_VARIABLE = "TUTOR_CACHE"
MAX_WIDTH, MAX_HEIGHT = 500, 200      # a terminal larger than this is clamped (one took 2.25 GB)
SESSION_MEMORY_MB = 160   # budget per session for the default cap (measured: 37-43 MB on the map and
                          # in lessons at 1400x900; the heaviest scene, train_transformer, peaks at 55 MB)


def is_visitor_id(text: str | None) -> bool:
    """Only 32 lowercase hex digits: the id becomes a directory name."""
    return text is not None and VISITOR_ID.fullmatch(text) is not None


def new_visitor_id() -> str:
    return uuid.uuid4().hex


def visitors_dir() -> Path:
    """Where per-visitor progress directories live (TUTOR_HOME must be unset)."""
    from tutor.paths import data_dir

    return data_dir() / "visitors"


def shared_cache_dir() -> Path:
    from tutor.paths import data_dir

    return data_dir() / "cache"


def forget_old_visitors(max_age_days: float, now: float | None = None) -> int:
    """Delete visitor directories not visited for max_age_days; returns how many went."""
    root, now = visitors_dir(), time.time() if now is None else now
    gone = 0
    try:
        entries = list(root.iterdir())
    except OSError:
        return 0
    for entry in entries:
        try:
            if (is_visitor_id(entry.name) and entry.is_dir() and not entry.is_symlink()
                    and now - entry.stat().st_mtime > max_age_days * 86400):
                shutil.rmtree(entry)
                gone += 1
        except OSError:
            continue
    return gone


def session_environment(visitor: str | None) -> dict[str, str]:
    """What one session's process is told besides the server's own environment."""
    env = {CACHE_VARIABLE: str(shared_cache_dir())}
    if is_visitor_id(visitor):
        env[VISITOR_VARIABLE] = visitor
    return env


# -- addresses ------------------------------------------------------------------------------
def host_port(host: str, port: int) -> str:
    """host:port, with an IPv6 address in brackets ([::1]:8000), as URLs need it."""
    try:
        if ipaddress.ip_address(host).version == 6:
            return f"[{host}]:{port}"
    except ValueError:
        pass
    return f"{host}:{port}"


def normalise_url(url: str) -> str:
    """An http(s) address learners use, without a trailing slash; ValueError if it is not one.

    A trailing slash made the page load //static/…, which a browser reads as
    another host; a bare word made every page fail with HTTP 500.
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        raise ValueError(f"not an address: {url!r}") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected an http:// or https:// address with a host, got {url!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"expected an address without a query, fragment or user name, got {url!r}")
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


def default_max_sessions() -> int:
    """As many sessions as half of this machine's memory holds, at SESSION_MEMORY_MB each."""
    try:
        total_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError, AttributeError):
        return 8
    return max(2, min(200, total_mb // 2 // SESSION_MEMORY_MB))


@dataclass(frozen=True)
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None      # normalised; None: http://HOST:PORT
    max_sessions: int = 8
    forget_after_days: int = 90

    @classmethod
    def from_args(cls, args) -> "Options":
        """From `tutor serve`'s parsed arguments (the parser has normalised --url)."""
        return cls(args.host, args.port, args.public_url, args.max_sessions or default_max_sessions(),
                   args.forget_after_days)

    @property
    def url(self) -> str:
        return self.public_url or f"http://{host_port(self.host, self.port)}"
