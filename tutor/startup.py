"""Start-up with the cycle collector paused, until the course map is on screen.

Importing Textual, reading the course and building the first screen create
some 70,000 objects that live as long as the app, and Python's cycle
collector walks them again and again while they are made: about 8% of the
time to the first paint (bench/app.py; the tutor with collection paused
painted at 1.11x a bare Textual app, with it on at 1.19x, 20 runs each).
`tutor` pauses collection before it imports the app; once the map has been
painted, `resume` collects start-up's garbage once (~20 ms, a few thousand
objects), moves what is left to the permanent generation, so that later
collections skip it (gc.freeze), and turns collection back on.

From then on the full collections wait for a quiet moment. Python starts
one by itself after every tenth collection of the middle generation, in
the middle of whatever runs: walking a lesson, one came every few steps
and took 30-100 ms (42 in one walk through the course), landing inside step
switches, whose bar is 100 ms. `resume` raises that count to FULL_AFTER, a
safety net, and the lesson screen calls `collect_if_due` once a step is on
screen and settled, where a full collection is done when Python would have
started one (ten middle collections since the last).
"""
from __future__ import annotations

import gc

_paused = False
_scheduled = False   # full collections wait for collect_if_due (set by resume)
_thresholds = gc.get_threshold()
FULL_AFTER = 500     # middle-generation collections before Python starts a full one itself
DUE_AFTER = 10       # Python's own default: a full collection after ten of the middle one


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """After the first paint: undo pause(), leaving start-up's survivors frozen.
    Nothing if this process did not pause (tests, other entry points)."""
    global _paused, _scheduled, _thresholds
    if _paused:
        _paused = False
        gc.collect()
        gc.freeze()
        _thresholds = gc.get_threshold()
        gc.set_threshold(*_thresholds[:2], FULL_AFTER)
        _scheduled = True
        gc.enable()


def collect_if_due() -> bool:
    """A full collection now if Python would have started one by now (a quiet moment:
    a step on screen and settled); True if it ran. Nothing unless resume() scheduled."""
    if _scheduled and gc.isenabled() and gc.get_count()[2] >= DUE_AFTER:
        gc.collect()
        return True
    return False


def end() -> None:
    """The app is done, or never got to paint: collection back on, nothing frozen."""
    global _paused, _scheduled
    if _scheduled:
        _scheduled = False
        gc.set_threshold(*_thresholds)
    if _paused:
        _paused = False
        gc.enable()
