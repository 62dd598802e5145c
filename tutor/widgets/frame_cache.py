"""FrameCache: the frames of recent finished scene runs, so a step seen (or warmed) before shows at once."""
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


FRAMES = FrameCache()
