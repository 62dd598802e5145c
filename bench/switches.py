"""The course walked step by step, and the z key: timed to the screen update that draws them.

Part of bench/ui.py (its module docstring says what the rows mean). A step is
shown, or the scene maximised, when the app has updated the screen with it
(Paints): the compositor has then rendered every changed widget's lines, and
the headless driver of a test run skips only the write to a terminal.
"""
from __future__ import annotations

import asyncio
import time


class Paints:
    """When the app last updated the screen: wraps App._display, which every screen
    update goes through once the compositor has drawn the changed widgets."""

    def __init__(self, app) -> None:
        self.times: list[float] = []
        display = app._display

        def record(screen, renderable) -> None:
            if renderable is not None:
                self.times.append(time.perf_counter())
            display(screen, renderable)

        app._display = record

    def last(self, since: float) -> float | None:
        """Seconds from `since` to the last screen update after it (None: none since)."""
        return self.times[-1] - since if self.times and self.times[-1] >= since else None

    async def first_after(self, moment: float, timeout: float = 1.0) -> float:
        """The time of the first screen update at or after `moment` (waiting for it)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            later = [t for t in self.times[-50:] if t >= moment]
            if later:
                return later[0]
            await asyncio.sleep(0.002)
        return time.perf_counter()


async def until_shown(pilot, screen) -> None:
    """Until the last frame has arrived and the screen has processed it."""
    while not screen.player.complete:
        await pilot.pause(0.002)
    await pilot.pause()


READ_AT_LEAST = 0.25   # seconds: far less than reading a step takes


async def read_pause(pilot) -> None:
    """A learner reads the step before moving on: the next step's scene is warmed
    meanwhile (once the step is shown and settled, tutor.screens.warming.WARM_AFTER).
    Wait for that, up to 3 s, as reading would."""
    await asyncio.sleep(READ_AT_LEAST)
    deadline = time.perf_counter() + 3.0
    while time.perf_counter() < deadline and (getattr(pilot.app.screen, "warm_pending", False) or any(
            w.group == "warm" and not w.is_finished for w in pilot.app.workers)):
        await asyncio.sleep(0.005)


async def course_step_times(pilot, course, paints: Paints
                             ) -> tuple[dict[str, list[float]], list[tuple[float, str]], list[float]]:
    """Every lesson walked step by step, twice: seconds from the step change to the step shown
    (and, for comparison, as timed before: to the process idle, or a streaming scene's first
    frame's arrival).

    Shown means its text drawn and its scene's frames on screen (all of them;
    for a scene that streams, its first; none while a prediction waits): the
    screen update that drew them (Paints). The first walk is the first visit
    of every step, in a process that has shown nothing else and computed no
    scene yet (the walk runs before any other timing here): engine and scene
    modules imported, models loaded and widget kinds styled for the first time
    as the learner meets them. The second is what a learner moving back and
    forth meets. Between steps the walk pauses as a reader would
    (read_pause). Steps change by the screen's own action, not by pilot key
    presses, whose round trip through the test harness is ~85 ms of its own.
    """
    from tutor.screens.lesson import LessonScreen

    warm: dict[str, list[float]] = {}
    first: list[tuple[float, str]] = []
    idle: list[float] = []
    for lesson in course.lessons:
        for visit in range(2):
            screen = LessonScreen(lesson, 0)
            await pilot.app.push_screen(screen)
            await pilot.pause()
            for _ in range(len(lesson.steps) - 1):
                await read_pause(pilot)
                t0 = time.perf_counter()
                screen.action_next()
                player = screen.player
                while not (screen.spec is None or screen.awaiting_prediction
                           or player.frames and (player.complete or not player.frames[0].final)):
                    await asyncio.sleep(0.002)
                ready = time.perf_counter()
                if screen.scene_ready() and not player.frames[0].final:
                    # A scene that streams (it trains or times, frame by frame): its first
                    # frame drawn. The app goes idle only once it has finished, seconds later.
                    idle.append(ready - t0)    # as timed before: the first frame's arrival
                    took = await paints.first_after(ready) - t0
                else:
                    await pilot.pause()
                    idle.append(time.perf_counter() - t0)
                    took = paints.last(t0) or idle[-1]
                if visit:
                    warm.setdefault(lesson.id, []).append(took)
                else:
                    first.append((took, f"{lesson.id}: {screen.step.title}"))
            pilot.app.pop_screen()
            await pilot.pause()
    return warm, first, idle


async def maximise_times(pilot, course, paints: Paints) -> list[float]:
    """Seconds from z (maximise the scene, or restore it) to the screen drawn again."""
    from tutor.screens.lesson import LessonScreen

    lesson = course.find("lstm-gru")
    index = next(i for i, s in enumerate(lesson.steps) if s.scene and s.scene.id == "gates")
    screen = LessonScreen(lesson, index)
    await pilot.app.push_screen(screen)
    await until_shown(pilot, screen)
    times = []
    for _ in range(10):
        t0 = time.perf_counter()
        await screen.run_action("maximise")
        await pilot.pause()
        times.append(paints.last(t0) or time.perf_counter() - t0)
    pilot.app.pop_screen()
    await pilot.pause()
    return times
