"""The layout follows what is shown: a widget whose text gets shorter or longer is re-measured.

Found by the snapshot tests: at 80×24 the lesson's Controls kept the height
it had while the scene was computing (its key line, with "no frames yet
computing…", wraps to a second row) after the scene finished and the line
no longer wrapped, so the scene above lost a row, and showed a scrollbar,
or not, depending on timing.
"""
from __future__ import annotations

from dataclasses import replace

from textual.app import App

from tutor.scenes.registry import SCENES
from tutor.widgets.controls import Controls, ControlState, describe


class Host(App):
    def compose(self):
        yield Controls()


def rows_needed(controls: Controls) -> int:
    width = controls.content_region.width
    return controls.get_content_height(controls.content_region, controls.content_region, width)


async def test_controls_height_follows_its_text():
    spec = SCENES["rnn_unroll"]
    values = tuple(spec.defaults()[p.name] for p in spec.params)
    busy = ControlState(spec.params, values, busy=True, frames=0)
    done = replace(busy, busy=False, frame=6, frames=7)
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        controls = app.query_one(Controls)
        heights = []
        for state in (busy, done, busy, done):
            controls.state = state
            await pilot.pause()
            heights.append((controls.content_region.height, rows_needed(controls)))
        assert heights[0][1] != heights[1][1], "the two states should need different heights at 80 columns"
        for shown, needed in heights:
            assert shown == needed, heights




def test_a_key_and_what_it_does_stay_on_one_line():
    """At any width the key line breaks between keys: never inside "scene frame 12/12" or "speed 3/6"."""
    spec = SCENES["rnn_unroll"]
    values = tuple(spec.defaults()[p.name] for p in spec.params)
    state = ControlState(spec.params, values, frame=11, frames=12)
    for width in range(18, 120):   # "scene frame 12/12" is 17 cells
        lines = [line.plain for line in describe(state, width).wrap(width)]
        for piece in ("scene frame 12/12", "speed 3/6", "p paused", "r restart", "[ ] change"):
            assert any(piece in line for line in lines), (width, piece, lines)
        assert all(len(line.rstrip()) <= width for line in lines)


async def test_controls_show_the_counter_whole_in_a_narrow_column():
    spec = SCENES["rnn_unroll"]
    values = tuple(spec.defaults()[p.name] for p in spec.params)
    app = Host()
    async with app.run_test(size=(44, 12)) as pilot:
        controls = app.query_one(Controls)
        controls.state = ControlState(spec.params, values, frame=11, frames=12)
        await pilot.pause()
        assert controls.content_region.height == rows_needed(controls)
        shown = [line.plain for line in controls.render().wrap(controls.content_region.width)]
        assert any("scene frame 12/12" in line for line in shown), shown
