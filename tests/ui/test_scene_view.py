"""SceneView shows the newest frame even when frames arrive faster than mounting."""
import numpy as np
from textual.app import App

from tutor.scenes.frame import Bars, Frame, Grid, Row, frozen
from tutor.widgets.heatmap import Heatmap
from tutor.widgets.panel_view import PanelView
from tutor.widgets.scene_view import SceneView


def grid(fill: float) -> Grid:
    return Grid("g", frozen(np.full((3, 4), fill)), ("a", "b", "c"), ("w", "x", "y", "z"), -1, 1)


class Host(App):
    def compose(self):
        yield SceneView()


async def test_a_newer_frame_set_before_mounting_finishes_wins():
    app = Host()
    async with app.run_test() as pilot:
        view = app.query_one(SceneView)
        empty, full = Frame((grid(np.nan),), "first batch"), Frame((grid(0.5),), "last batch")
        view.frame = empty
        view.frame = full  # arrives before the first frame's widgets have mounted
        await pilot.pause()
        await pilot.pause()
        assert app.query_one(Heatmap).grid is full.panels[0]


async def test_panels_are_reused_while_kinds_line_up_and_replaced_when_not():
    app = Host()
    async with app.run_test() as pilot:
        view = app.query_one(SceneView)
        view.frame = Frame((grid(0.1),))
        await pilot.pause()
        first = app.query_one(Heatmap)
        view.frame = Frame((grid(0.2),))
        await pilot.pause()
        assert app.query_one(Heatmap) is first
        bars = Bars("b", ("1", "2"), np.array([1.0, np.inf]), 0.01, 10, log=True)
        view.frame = Frame((Row((grid(0.3), bars)),))
        await pilot.pause()
        await pilot.pause()
        assert len(app.query(Heatmap)) == 1 and app.query_one(Heatmap) is not first
        assert app.query_one(PanelView).panel is bars
