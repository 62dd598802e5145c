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
"""
from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """After the first paint: undo pause(), leaving start-up's survivors frozen.
    Nothing if this process did not pause (tests, other entry points)."""
    global _paused
    if _paused:
        _paused = False
        gc.collect()
        gc.freeze()
        gc.enable()


def end() -> None:
    """The app is done, or never got to paint: collection back on, nothing frozen."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
