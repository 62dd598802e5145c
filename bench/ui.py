"""UI speed: drawing grid frames, switching lesson steps, recomputing a scene.

Grid frames are timed against a bare grid of the same size drawn in the same
run (one precomputed style per cell, no labels, no palette lookup), so the
ratio shows what labels, palette and readout cost on top of the minimum.

A control change recomputes the scene: every frame, in a worker, and the
screen shows the last one (the ≤ 200 ms bar). Scenes that stream progress
(they train or measure, and say so frame by frame) are left out: their first
frame is not final. Every other scene is timed at its defaults twice: its
frames alone, and in the app from the new value to the frame shown (the
scene player's set_value, what a key or a typed value calls). rnn_unroll is
also timed by key press, as before, which adds the pilot's key round trip.
gates' LSTM ↔ GRU switch is timed too: its frame has other panels (three
rows of grids become two), the dearest kind of control change. It took
210-268 ms when every panel was mounted again; sync_panels now keeps the
widgets whose kinds line up from the front and mounts only the tail
(117-142 ms).

Step switches are timed two ways. By key on lesson 2, beyond a no-op key's
round trip through the test harness (the step's text and controls drawn).
And on every lesson, walked step by step twice, first of all (so the first
walk is every step's first visit), from the step change to the step shown
with its scene's frames (all of them; a streaming scene's first). The
100 ms bar holds for every switch, first visits included: the lesson screen
warms the next step's scene once a step is shown, and the walk pauses for
it as a reader would. The maximise key (z) has a 50 ms bar.

"Shown" is the screen update that draws it (Paints: the compositor has
rendered every changed widget's lines; the headless driver then skips only
the write to a terminal). Waiting for the process to go idle instead, as
pilot.pause() does, counts the warm-up of the next step's scene running in
a worker after the step is on screen (the bottleneck's measurement kept
"Looking back", a step with no scene, at 0.9-1.0 s), and rounds every time
up to 20 ms sleeps: neither is what a learner waits for. That figure is kept
beside the switch row for comparison.
"""
from __future__ import annotations

import asyncio
import statistics
import time

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from bench.switches import Paints, course_step_times, maximise_times, until_shown
from bench.table import Row, median_time
from tutor.render.grid import grid_line, grid_size
from tutor.render.look import Look
from tutor.frames import Grid, frozen
from tutor.scenes.registry import SCENES

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


def recomputed_scenes() -> list[str]:
    """Scenes whose frames come in one go after a control change: their first frame is final.

    The others stream progress (training, timing) and are left running with
    their progress bar, so no 200 ms bar applies to them."""
    ids = []
    for spec in SCENES.values():
        frames = spec.frames({})
        first = next(frames)
        frames.close()  # a streaming scene stops its worker when closed
        if first.final:
            ids.append(spec.id)
    return ids


def frame_times(ids: list[str]) -> dict[str, float]:
    """Median seconds to compute all of a scene's frames at its defaults (warm: its modules loaded)."""
    return {sid: median_time(lambda spec=SCENES[sid]: list(spec.frames({})), repeat=7, warmup=1) for sid in ids}


def _listing(times: dict[str, float], skip: int = 1, count: int = 3) -> str:
    """The slowest scenes after the first `skip`, by name with their ms."""
    worst = sorted(times, key=times.get, reverse=True)[skip:skip + count]
    return ", ".join(f"{sid} {times[sid] * 1e3:.0f}" for sid in worst) + " ms"


def _scene_lesson(ids: list[str]):
    """A lesson of one step per scene, each at the scene's defaults."""
    from pathlib import Path

    from tutor.course.model import Lesson, SceneRef, Step

    steps = tuple(Step(sid, f"Scene {sid}.", SceneRef(sid, (), 0), None, 0) for sid in ids)
    return Lesson("bench-scenes", "Scenes", "", 99, 1, steps, (), Path("bench-scenes.md"))


async def _set_times(pilot, screen, name: str, values: list, paints: Paints) -> list[float]:
    """Seconds from a control's new value (what a key or typed value calls) to the scene drawn again."""
    times = []
    for value in values:
        t0 = time.perf_counter()
        screen.player.set_value(name, value)
        await until_shown(pilot, screen)
        times.append(paints.last(t0) or time.perf_counter() - t0)
    return times


async def _lesson_timings(pilot, lesson) -> tuple[list[float], list[float], list[float]]:
    """Step switches and no-op keys on a lesson, then rnn_unroll's hidden size changed by key."""
    from tutor.screens.lesson import LessonScreen

    steps, noops, recomputes = [], [], []
    await pilot.app.push_screen(LessonScreen(lesson, 0))
    screen = pilot.app.screen
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
        await until_shown(pilot, screen)
        recomputes.append(time.perf_counter() - t0)
    pilot.app.pop_screen()
    return steps, noops, recomputes


async def _scene_timings(pilot, ids: list[str], paints: Paints) -> tuple[dict[str, list[float]], list[float]]:
    """Every scene recomputed at its defaults; then gates switched LSTM ↔ GRU (its panels are rebuilt)."""
    from tutor.screens.lesson import LessonScreen

    lesson = _scene_lesson(ids)
    at_defaults = {}
    for index, sid in enumerate(ids):
        screen = LessonScreen(lesson, index)
        await pilot.app.push_screen(screen)
        await until_shown(pilot, screen)
        first = SCENES[sid].params[0]
        at_defaults[sid] = await _set_times(pilot, screen, first.name, [first.default] * 5, paints)
        pilot.app.pop_screen()
        await pilot.pause()
    screen = LessonScreen(_scene_lesson(["gates"]), 0)
    await pilot.app.push_screen(screen)
    await until_shown(pilot, screen)
    rebuilt = await _set_times(pilot, screen, "cell", ["gru", "lstm"] * 4, paints)
    pilot.app.pop_screen()
    return at_defaults, rebuilt


async def _app_timings():
    from tutor import startup
    from tutor.app import TutorApp
    from tutor.course import load_course
    from tutor.paths import lessons_dir
    from tutor.store import Store

    course, _ = load_course([lessons_dir()])
    # As `tutor` starts (tutor/cli.py): the cycle collector paused until the course map
    # is painted, then what start-up left frozen (tutor/startup.py). Without it every
    # full collection walks start-up's 55,000 objects again: 35-70 ms pauses here.
    startup.pause()
    app = TutorApp(course, Store.memory(), animate=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            paints = Paints(app)
            await pilot.pause(0.5)   # the map painted; start-up's objects frozen
            warm, first, idle = await course_step_times(pilot, course, paints)   # first visits first
            ids = recomputed_scenes()
            steps, noops, recomputes = await _lesson_timings(pilot, course.find("rnn"))
            at_defaults, rebuilt = await _scene_timings(pilot, ids, paints)
            maximise = await maximise_times(pilot, course, paints)
    finally:
        startup.end()
    return ids, steps, noops, recomputes, at_defaults, rebuilt, warm, first, idle, maximise


def app_rows() -> list[Row]:
    ids, steps, noops, recomputes, at_defaults, rebuilt, warm, first, idle, maximise = asyncio.run(_app_timings())
    frames = frame_times(ids)
    per_lesson = {lid: statistics.median(ts) for lid, ts in warm.items()}
    slow_lesson = max(per_lesson, key=per_lesson.get)
    every = [t for ts in warm.values() for t in ts]
    first_time, first_step = max(first)
    then = ", ".join(f"{name} {t * 1e3:.0f}" for t, name in sorted(first, reverse=True)[1:3])
    switches = every + [t for t, _ in first]
    step, noop, recompute = statistics.median(steps), statistics.median(noops), statistics.median(recomputes)
    shown = {sid: statistics.median(ts) for sid, ts in at_defaults.items()}
    slow_frames, slow_shown = max(frames, key=frames.get), max(shown, key=shown.get)
    return [
        Row("lesson step switch (120×40), beyond a no-op key", (step - noop) * 1e3, "ms",
            f"no-op key round trip {noop * 1e3:.0f} ms", step / noop, 100.0, "ms"),
        Row("step switch with its scene shown, every lesson (120×40)", per_lesson[slow_lesson] * 1e3, "ms",
            f"slowest lesson's median: {slow_lesson}; all {len(every)} steps: median "
            f"{statistics.median(every) * 1e3:.0f}, 90th percentile {np.percentile(every, 90) * 1e3:.0f}, "
            f"max {max(every) * 1e3:.0f} ms", None, 100.0, "ms"),
        Row("a step's first visit, slowest (imports, first styling; next scene warmed)", first_time * 1e3, "ms",
            f"{first_step}; then {then} ms", None, 100.0, "ms"),
        Row("every step switch, first visits included: slowest (120×40)", max(switches) * 1e3, "ms",
            f"{len(switches)} switches: median {statistics.median(switches) * 1e3:.0f}, 90th percentile "
            f"{np.percentile(switches, 90) * 1e3:.0f} ms; to the process idle (as timed before): median "
            f"{statistics.median(idle) * 1e3:.0f}, max {max(idle) * 1e3:.0f} ms", None, 100.0, "ms"),
        Row("maximise / restore the scene (z, 120×40, gates)", max(maximise) * 1e3, "ms",
            f"slowest of {len(maximise)}; median {statistics.median(maximise) * 1e3:.0f} ms", None, 50.0, "ms"),
        Row("scene recompute after a control change", recompute * 1e3, "ms",
            f"rnn_unroll, defaults, by key (no-op key {noop * 1e3:.0f} ms)", None, 200.0, "ms"),
        Row(f"scene frames at defaults, slowest of {len(ids)}", frames[slow_frames] * 1e3, "ms",
            f"{slow_frames}; then {_listing(frames)}", None, 200.0, "ms"),
        Row(f"scene recompute at defaults (120×40), slowest of {len(ids)}", shown[slow_shown] * 1e3, "ms",
            f"{slow_shown}; then {_listing(shown)}", None, 200.0, "ms"),
        Row("scene recompute, gates LSTM ↔ GRU (panels change)", statistics.median(rebuilt) * 1e3, "ms",
            "120×40, set by value", None, 200.0, "ms"),
    ]


def run() -> list[Row]:
    return grid_rows() + app_rows()
