"""WarmsNextStep: a lesson screen gets the next step's scene ready while this one is read.

Once a step is on screen and settled (no layout for WARM_AFTER), the next
step's scene is imported and, unless it streams, its frames are computed in
a worker, so moving on shows it at once. A full collection due runs first,
here rather than inside the next switch (tutor/startup.py).
"""
from __future__ import annotations

import time

from tutor import startup
from tutor.scenes.registry import SCENES

WARM_AFTER = 0.1    # seconds without a layout (the step settled) before the next step's scene is warmed
WARM_AT_MOST = 1.0  # seconds: warmed by then even while the screen keeps changing (an animation)


class WarmsNextStep:
    """For the lesson screen (its lesson, step_index, player and closed): call warm_soon once
    a step is shown, and subscribe note_layout to the screen's layout signal."""

    laid_out_at = 0.0       # time.monotonic() of the screen's last layout
    warm_pending = False    # the next step's warm-up waits for this one to settle

    def note_layout(self, _screen) -> None:
        self.laid_out_at = time.monotonic()

    def warm_soon(self) -> None:
        """Warm the next step once this one is on screen and settled: a worker computing
        holds the GIL for most of each 5 ms switch interval, and started at once it
        doubled the time to lay out and draw the step being shown. Settled means no
        layout for WARM_AFTER: a step whose new panels mount and lay out over several
        passes took up to 180 ms to show when the warm-up began 100 ms after the
        first (its slowest first visits, 150-176 ms, to 114 ms)."""
        asked = time.monotonic()
        self.warm_pending = True
        self.call_after_refresh(self.set_timer, WARM_AFTER, lambda: self.warm_when_settled(asked))

    def warm_when_settled(self, asked: float) -> None:
        now = time.monotonic()
        wait = self.laid_out_at + WARM_AFTER - now
        if wait > 0.002 and now - asked < WARM_AT_MOST and not self.closed:
            self.set_timer(wait, lambda: self.warm_when_settled(asked))
        else:
            self.warm_next()

    def warm_next(self) -> None:
        """Once this step is on screen: get the next step's scene ready (imported and,
        unless it streams, computed), so moving on shows it at once. A full collection
        due now runs first, here rather than inside the next switch (tutor/startup.py)."""
        self.warm_pending = False
        startup.collect_if_due()
        following = self.lesson.steps[self.step_index + 1:self.step_index + 2]
        ref = following[0].scene if following else None
        spec = SCENES.get(ref.id) if ref else None
        if spec is not None and not self.closed:
            self.player.warm(spec, ref.values)
