"""OneUpdate: the screen held still while new panels mount, then drawn in one update.

A frame with new kinds of panels (a step switch, a scene's first frame from
its worker, LSTM to GRU) mounts its widgets over several turns of the event
loop (a row of grids, then the grids in it). Textual lays out and draws the
screen at each of its ticks in between, so such a step was laid out and
drawn four or five times, each pass 10-30 ms and each a half-built screen
(the slowest first visits, 110-126 ms). Held in Textual's batch (what
App.batch_update does), the screen, with whatever else the same key changed
(the step's text), is laid out and drawn once the panels have mounted, and
never later than HOLD_AT_MOST after, whatever is still mounting.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

HOLD_AT_MOST = 0.25   # seconds: the screen is drawn by then whatever is still mounting


class OneUpdate:
    def __init__(self, node) -> None:
        self.node = node            # the widget that holds its app's screen updates
        self.held = False
        self.timer = None
        self.task: asyncio.Task | None = None
        self.pending: list[Callable[[], object]] = []   # to run once the screen is drawn again

    def after(self, callback: Callable[[], object]) -> None:
        """Run `callback` after the screen's next refresh, and if it is held, after the one
        that ends the hold (Textual runs call_after_refresh callbacks even while held, on a
        layout not yet made: a scroll to a widget went nowhere)."""
        if self.held:
            self.pending.append(callback)
        else:
            self.node.call_after_refresh(callback)

    def hold(self, until: Callable[[], Awaitable[None]]) -> None:
        """No screen updates until `until()` is done (or HOLD_AT_MOST has passed). A hold asked
        for while one waits joins it: `until` must wait for what both asked for (the scene
        view's mounted() waits until no new panel is left mounting)."""
        if not self.held:
            self.node.app._begin_batch()
            self.held = True
            self.timer = self.node.set_timer(HOLD_AT_MOST, self.release, name="one update")
        if self.task is None or self.task.done():   # one waiter: `until` waits for all so far
            self.task = asyncio.create_task(self._release_after(until))

    async def _release_after(self, until: Callable[[], Awaitable[None]]) -> None:
        try:
            await until()
        finally:
            self.release()

    def close(self) -> None:
        """The node is going: let the screen update, and forget what waited for it."""
        self.pending.clear()
        self.release()

    def release(self) -> None:
        """Let the screen update (once; again is a no-op)."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        if self.held:
            self.held = False
            self.node.app._end_batch()
        pending, self.pending = self.pending, []
        for callback in pending:
            self.node.call_after_refresh(callback)
