"""UI speed: drawing grid frames, switching lesson steps, recomputing a scene.

Grid frames are timed against a bare grid of the same size drawn in the same
run (one precomputed style per cell, no labels, no palette lookup), so the
ratio shows what labels, palette and readout cost on top of the minimum.
"""
from __future__ import annotations

import asyncio
import statistics
import time

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from bench.table import Row, median_time
from tutor.render.grid import grid_line, grid_size
from tutor.render.look import Look
from tutor.scenes.frame import Grid, frozen

WIDTH = 200


def _grid(n: int, seed: int) -> Grid:
    values = np.random.default_rng(seed).uniform(-1, 1, size=(n, n))
    labels = tuple(f"t{i}" for i in range(n))
    return Grid("bench", frozen(values), labels, labels, -1.0, 1.0)


def draw_frame(grid: Grid) -> list[Strip]:
    """What Heatmap.render_line does for every visible line of one frame."""
    _, height = grid_size(grid, WIDTH, True)
    look = Look()
    return [Strip(grid_line(grid, y, WIDTH, look, (0, 0))).crop(0, WIDTH).extend_cell_length(WIDTH)
            for y in range(height)]


def draw_bare(values: np.ndarray, styles: list[Style]) -> list[Strip]:
    """The reference: one styled two-cell segment per value, nothing else."""
    idx = ((values + 1) * 31.5).astype(int)
    return [Strip([Segment("  ", styles[i]) for i in row]).crop(0, WIDTH).extend_cell_length(WIDTH) for row in idx]


def grid_rows() -> list[Row]:
    styles = [Style(bgcolor=f"rgb({i * 4},{i * 2},{255 - i * 4})") for i in range(64)]
    rows = []
    for n, bar in ((32, 8.0), (64, 15.0)):
        grids = [_grid(n, s) for s in range(8)]
        k = iter(range(10**9))
        ours = median_time(lambda: draw_frame(grids[next(k) % 8]), repeat=30)
        bare = median_time(lambda: draw_bare(grids[next(k) % 8].values, styles), repeat=30)
        rows.append(Row(f"grid frame {n}×{n} (draw)", ours * 1e3, "ms", f"bare grid {bare * 1e3:.2f} ms",
                        ours / bare, bar, "ms"))
    return rows


async def _app_timings() -> tuple[list[float], list[float]]:
    from tutor.app import TutorApp
    from tutor.course import load_course
    from tutor.paths import lessons_dir
    from tutor.screens.lesson import LessonScreen
    from tutor.store import Store

    course, _ = load_course([lessons_dir()])
    lesson = course.find("rnn")
    app = TutorApp(course, Store.memory(), animate=False)
    steps, noops, recomputes = [], [], []
    async with app.run_test(size=(120, 40)) as pilot:
        app.push_screen(LessonScreen(lesson, 0))
        await pilot.pause()
        screen = app.screen
        for _ in range(3):
            for key in ["right"] * (len(lesson.steps) - 1) + ["left"] * (len(lesson.steps) - 1):
                t0 = time.perf_counter()
                await pilot.press("x")  # no binding: the pilot's own round trip
                await pilot.pause()
                noops.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                steps.append(time.perf_counter() - t0)
        while screen.step.scene is None:
            await pilot.press("right")
        await pilot.press("c")  # select the hidden size
        for i in range(10):
            t0 = time.perf_counter()
            await pilot.press("right_square_bracket" if i % 2 == 0 else "left_square_bracket")
            while not screen.complete:
                await pilot.pause(0.002)
            await pilot.pause()
            recomputes.append(time.perf_counter() - t0)
    return steps, noops, recomputes


def app_rows() -> list[Row]:
    steps, noops, recomputes = asyncio.run(_app_timings())
    step, noop, recompute = statistics.median(steps), statistics.median(noops), statistics.median(recomputes)
    return [
        Row("lesson step switch (120×40), beyond a no-op key", (step - noop) * 1e3, "ms",
            f"no-op key round trip {noop * 1e3:.0f} ms", step / noop, 100.0, "ms"),
        Row("scene recompute after a control change", recompute * 1e3, "ms", "rnn_unroll, defaults",
            None, 200.0, "ms"),
    ]


def run() -> list[Row]:
    return grid_rows() + app_rows()
