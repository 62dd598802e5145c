"""SceneView shows the newest frame even when frames arrive faster than mounting."""
import numpy as np
from textual.app import App

from tutor.frames import Bars, Frame, Grid, Row, frozen
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


async def test_a_frame_with_fewer_panels_keeps_the_front_and_drops_only_the_tail():
    """Gates switching LSTM → GRU: three rows of grids become two; nothing is mounted again."""
    from tutor.widgets.scene_view import RowView

    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(SceneView)
        view.frame = Frame(tuple(Row((grid(0.1 * k), grid(0.2))) for k in range(3)))
        await pilot.pause()
        rows, maps = list(app.query(RowView)), list(app.query(Heatmap))
        assert len(rows) == 3 and len(maps) == 6
        shorter = Frame(tuple(Row((grid(-0.1 * k), grid(-0.2))) for k in range(2)))
        view.frame = shorter
        await pilot.pause()
        await pilot.pause()
        assert list(app.query(RowView)) == rows[:2] and list(app.query(Heatmap)) == maps[:4]
        assert [m.grid for m in app.query(Heatmap)] == [g for row in shorter.panels for g in row.panels]
        view.frame = Frame((grid(0.5), Row((grid(0.6),))))  # other kinds from the front: replaced
        await pilot.pause()
        await pilot.pause()
        assert not set(app.query(Heatmap)) & set(maps) and len(app.query(Heatmap)) == 2


async def test_a_panel_paints_at_the_width_it_has_even_when_no_resize_event_came(monkeypatch):
    """A taller frame can bring the panel's own scrollbar, one column less, with no Resize."""
    from textual.containers import Vertical
    from tutor.frames import Chart, Series
    from rich.segment import Segment

    monkeypatch.setattr(PanelView, "on_resize", lambda self: None)   # the event that goes missing

    class Narrowing(App):
        CSS = "Vertical { width: 50; height: 12; }"

        def compose(self):
            with Vertical():
                yield PanelView()

    x = frozen(np.linspace(0.0, 1.0, 40))
    chart = Chart("c", (Series("s", x, x),), (0.0, 1.0), (0.0, 1.0), height=6)
    app = Narrowing()
    async with app.run_test(size=(80, 20)) as pilot:
        view = app.query_one(PanelView)
        view.panel = chart
        await pilot.pause()
        app.query_one(Vertical).styles.width = 30
        for _ in range(3):
            await pilot.pause()
        longest = max(Segment.get_line_length(line) for line in view.drawn)
        assert view.outer_size.width == 30
        assert longest == view.scrollable_content_region.width - 1   # the chart's own right margin
