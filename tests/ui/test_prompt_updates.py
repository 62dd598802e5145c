"""The lesson screen's update timer ticks as soon as it may, not one tick late (PromptTimer).

Textual's timer, after a tick longer than its interval, sleeps to the boundary
after the next one: a screen update asked for during a long paint waited
17-33 ms more at 60 ticks a second. Here the interval is 0.2 s, so the two
behaviours are far apart: the old one waits at least 0.2 s after a long
tick, this one starts the next tick at once.
"""
from __future__ import annotations

import asyncio
import time

from textual.app import App

from tutor.screens.lesson import LessonScreen
from tutor.screens.prompt_updates import PromptTimer

INTERVAL = 0.2


async def two_ticks(long_first: bool) -> list[tuple[float, float]]:
    """(start, end) of a PromptTimer's first two ticks; each tick pauses the timer, as the
    screen's does, and the first asks again at once (after a long paint, if long_first)."""
    ticks: list[tuple[float, float]] = []
    app = App()
    async with app.run_test():
        def tick() -> None:
            began = time.perf_counter()
            timer.pause()
            if not ticks:
                if long_first:
                    time.sleep(INTERVAL * 1.5)
                timer.resume()
            ticks.append((began, time.perf_counter()))

        timer = PromptTimer(app, INTERVAL, callback=tick, pause=True)
        timer._start()
        try:
            timer.resume()
            for _ in range(100):
                if len(ticks) >= 2:
                    break
                await asyncio.sleep(0.01)
        finally:
            timer.stop()
    return ticks[:2]


async def test_after_a_tick_longer_than_the_interval_the_next_one_comes_at_once():
    (_, first_end), (second_start, _) = await two_ticks(long_first=True)
    assert second_start - first_end < INTERVAL / 2


async def test_after_a_short_tick_the_next_waits_for_the_interval():
    (first_start, _), (second_start, _) = await two_ticks(long_first=False)
    assert second_start - first_start >= INTERVAL * 0.9


async def test_the_lesson_screen_updates_from_a_prompt_timer(make_app):
    app = make_app()
    async with app.run_test() as pilot:
        app.open_lesson(app.course.lessons[1], 0)
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert isinstance(app.screen._update_timer, PromptTimer)
