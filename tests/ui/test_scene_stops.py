"""A scene the learner moved away from stops computing between its frames (tutor.scenes.stopping).

The scene player runs a scene's frames under stop_when(its worker is
cancelled): a scene that trains between frames asks cancelled() and ends,
rather than training on against the step being drawn until its next frame.
"""
from __future__ import annotations

import threading
import time

import numpy as np
from textual.app import App

from tutor.frames import Frame, Grid, frozen
from tutor.scenes.registry import SceneSpec
from tutor.scenes.stopping import cancelled
from tutor.widgets.scene_player import ScenePlayer

ENDED = threading.Event()


class Endless(SceneSpec):
    """A first frame, then 'training' that never yields another until it is no longer wanted."""

    def frames(self, values):
        grid = Grid("g", frozen(np.zeros((2, 2))), ("a", "b"), ("x", "y"), -1, 1)
        yield Frame((grid,), "training…", step=0, final=False)
        deadline = time.monotonic() + 10
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.005)
        ENDED.set()


class Host(App):
    def compose(self):
        yield ScenePlayer()


async def test_a_scene_no_longer_shown_stops_between_its_frames():
    ENDED.clear()
    app = Host()
    async with app.run_test() as pilot:
        player = app.query_one(ScenePlayer)
        player.show(Endless("endless", "Endless", "", ()), {})
        for _ in range(100):
            if player.frames:
                break
            await pilot.pause(0.01)
        assert player.frames and not player.complete
        player.stop()                       # the learner moved on
        start = time.perf_counter()
        while not ENDED.is_set() and time.perf_counter() - start < 3:
            await pilot.pause(0.01)
        assert ENDED.is_set() and time.perf_counter() - start < 3
