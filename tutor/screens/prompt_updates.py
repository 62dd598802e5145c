"""PromptUpdates: a screen whose pending update is drawn as soon as 60 frames a second allow.

Textual draws a screen from a timer that ticks at most MAX_FPS times a
second, paused while nothing waits to be drawn. After each tick, though, its
catch-up arithmetic sleeps to the boundary after the next one: 17-33 ms after
a tick, however long that tick took. A step whose scene's first frame came
from a worker, a second layout pass, the scrollbar repaints after a layout,
each waited for that (28 ms measured between a frame's arrival and its
paint). This screen's timer ticks at the earliest one interval after the
previous tick began, as soon as it is resumed.

Before it ticks it lets the other tasks run once: a widget restyled by the
same key (z restores the scene: its class changes) asks for its layout as it
next goes idle, and ticking first, the screen laid everything out, then
again for that widget's request (the restore: one pass and ~20 ms less).
"""
from __future__ import annotations

import asyncio

from textual import _time
from textual._time import sleep
from textual.screen import UPDATE_PERIOD
from textual.timer import EventTargetGone, Timer


SETTLE_TURNS = 1   # turns of the event loop given to the widgets before a tick (see PromptTimer)


class PromptTimer(Timer):
    async def _run(self) -> None:
        interval = self._interval
        await self._active.wait()
        began = _time.get_time() - interval
        count = 0
        while self._repeat is None or count <= self._repeat:
            wait = began + interval - _time.get_time()
            if wait > 0:
                await sleep(wait)
            await self._active.wait()
            for _ in range(SETTLE_TURNS):
                await asyncio.sleep(0)
            began = _time.get_time()
            count += 1
            try:
                await self._tick(next_timer=began, count=count)
            except EventTargetGone:
                break


class PromptUpdates:
    """For a Screen: its update timer is a PromptTimer (Textual makes its own on first use)."""

    @property
    def _update_timer(self) -> Timer:
        if self._Screen__update_timer is None:
            timer = PromptTimer(self, UPDATE_PERIOD, name="screen_update",
                                callback=self._on_timer_update, pause=True)
            timer._start()
            self._timers.add(timer)
            self._Screen__update_timer = timer
        return self._Screen__update_timer
