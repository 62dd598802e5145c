"""The frames of recent finished scene runs, and the warm-ups under way, shared by every player."""
from __future__ import annotations

import threading
from typing import Any

from tutor.frames import Frame

CACHED_RUNS = 12    # finished runs kept, so a step visited (or warmed) before shows at once


class FrameCache:
    """The frames of recent finished runs, by scene and values (scenes are seeded:
    the same values give the same frames). Streaming scenes (training, timing)
    are never kept: their first frame is not final, and they run for seconds."""

    def __init__(self, size: int = CACHED_RUNS) -> None:
        self.size = size
        self.runs: dict[tuple, list[Frame]] = {}
        self.warming: dict[tuple, threading.Event] = {}   # set when that warm-up ends
        self.lock = threading.Lock()

    @staticmethod
    def key(spec, values: dict[str, Any]) -> tuple:
        return (spec.id, tuple(sorted((k, repr(v)) for k, v in values.items())))

    def get(self, key: tuple) -> list[Frame] | None:
        with self.lock:
            frames = self.runs.pop(key, None)
            if frames is not None:
                self.runs[key] = frames     # the most recent last
            return frames

    def put(self, key: tuple, frames: list[Frame]) -> None:
        with self.lock:
            self.runs.pop(key, None)
            self.runs[key] = frames
            while len(self.runs) > self.size:
                self.runs.pop(next(iter(self.runs)))

    def claim(self, key: tuple) -> threading.Event | None:
        """Mark a warm-up of `key` under way; None if one already is."""
        with self.lock:
            if key in self.warming:
                return None
            done = self.warming[key] = threading.Event()
            return done

    def release(self, key: tuple, done: threading.Event) -> None:
        with self.lock:
            self.warming.pop(key, None)
        done.set()

    def wait(self, key: tuple, cancelled) -> list[Frame] | None:
        """The frames of `key` once a warm-up under way for it ends (None if none is, or it
        kept nothing): a step shown while its warm-up runs waits for it rather than computing
        the same frames a second time beside it, at twice the memory and half the speed."""
        with self.lock:
            done = self.warming.get(key)
        while done is not None and not done.wait(0.05):
            if cancelled():
                return None
        return self.get(key)


FRAMES = FrameCache()
