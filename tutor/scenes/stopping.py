"""Whether the scene being computed is still wanted.

A scene's frames are computed in a worker thread; when the learner moves on,
the worker is cancelled, but a scene that trains between frames only learns
it at its next frame, and until then trains on, holding the interpreter's
lock against the step being drawn (a switch away from a training scene took
85-218 ms). The scene player runs a scene's frames under `stop_when(check)`,
and a scene that computes long between frames asks `cancelled()`.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()


def cancelled() -> bool:
    """True once whoever runs this thread's scene no longer wants its frames."""
    check = getattr(_local, "check", None)
    return bool(check and check())


@contextmanager
def stop_when(check: Callable[[], bool]) -> Iterator[None]:
    """Frames computed in this block stop being wanted once `check()` is true."""
    previous = getattr(_local, "check", None)
    _local.check = check
    try:
        yield
    finally:
        _local.check = previous
