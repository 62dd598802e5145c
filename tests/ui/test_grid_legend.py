"""Side-by-side grids at 80 columns paint their legend whole: both range values on screen."""
import numpy as np
from textual.app import App

from tutor.frames import Frame, Grid, Row, frozen
from tutor.widgets.heatmap import Heatmap
from tutor.widgets.scene_view import SceneView

LABELS = ("Ti", "amo", "molto")


def grid(title: str, vmin: float, vmax: float, palette: str) -> Grid:
    values = np.linspace(vmin, vmax, 9).reshape(3, 3)
    return Grid(title, frozen(values), LABELS, LABELS, vmin, vmax, palette, "query", "key")


class Host(App):
    def compose(self):
        yield SceneView()


async def test_two_grids_side_by_side_at_80_columns_keep_both_range_values():
    """causal_mask's pair: the scores' top value and the weights' ramp were cut off."""
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(SceneView)
        view.frame = Frame((Row((grid("QKᵀ/√d_k + mask", -7.4, 7.4, "diverging"),
                                 grid("softmax: weights", 0.0, 1.0, "sequential"))),))
        for _ in range(3):
            await pilot.pause()
        heatmaps = list(app.query(Heatmap))
        assert len(heatmaps) == 2
        for heatmap, (lo, hi) in zip(heatmaps, (("-7.4", "+7.4"), ("0", "1"))):
            width = heatmap.scrollable_content_region.width
            assert width < 40   # the case the legend did not fit in
            line = heatmap.render_line(0).text
            assert line.rstrip().endswith(f" {hi}") and f" {lo} " in line, line
