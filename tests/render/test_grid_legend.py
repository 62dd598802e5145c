"""Every grid's title line keeps its legend whole: both ends of the value range, at any width.

Grids sit side by side at 80 columns (about 37 cells each), where a title,
its " (rows × cols)" suffix and a 16-cell ramp do not fit. The ramp shrinks,
the suffix goes, the title is cut with "…"; the two values never are.
"""
import numpy as np
import pytest
from rich.cells import cell_len

from tutor.render.grid import grid_size, render_grid
from tutor.render.look import Look
from tutor.frames import Grid, Row, frozen
from tutor.scenes.registry import SCENES

WIDTHS = (18, 22, 26, 30, 34, 36, 37, 38, 40, 45, 50, 60, 76, 80, 120)
LOOKS = (Look(), Look(dark=False), Look(mono=True))

# scene: parameters that keep it quick (the training run is cut short)
GRID_SCENES = {
    "bag_of_words": {}, "cnn_receptive_field": {}, "rnn_unroll": {}, "gates": {}, "bahdanau_alignment": {},
    "sdpa_steps": {}, "softmax_saturation": {}, "self_attention": {}, "permutation": {}, "multi_head": {},
    "positional_encoding": {}, "layer_norm": {}, "block_flow": {}, "causal_mask": {}, "cross_attention": {},
    "train_transformer": {"steps": 5},
}


def grids_in(panels):
    for panel in panels:
        if isinstance(panel, Row):
            yield from grids_in(panel.panels)
        elif isinstance(panel, Grid):
            yield panel


def ends(grid: Grid) -> tuple[str, str]:
    """The range as the legend writes it: signed for diverging grids, two significant digits."""
    spec = "+.2g" if grid.palette == "diverging" else ".2g"
    return format(grid.vmin, spec), format(grid.vmax, spec)


def title_text(grid: Grid, width: int, look: Look) -> str:
    return "".join(s.text for s in render_grid(grid, width, look)[0])


def assert_whole_legend(grid: Grid, width: int) -> None:
    lo, hi = ends(grid)
    for look in LOOKS:
        text = title_text(grid, width, look)
        assert cell_len(text) <= width, (width, text)
        assert text.endswith(f" {hi}"), (width, text)
        assert text.startswith(f"{lo} ") or f"   {lo} " in text, (width, text)


def test_every_scene_grid_has_both_range_values_at_every_width():
    """Every grid the scenes draw (last frame, and the first where it differs)."""
    seen = 0
    for scene, params in GRID_SCENES.items():
        frames = list(SCENES[scene].frames(params))
        for frame in (frames[0], frames[-1]):
            for grid in grids_in(frame.panels):
                for width in WIDTHS:
                    assert_whole_legend(grid, width)
                seen += 1
    assert seen > 2 * len(GRID_SCENES)


def _grid(title: str, vmin: float, vmax: float, palette="diverging", rows="query", cols="key") -> Grid:
    labels = ("a", "b", "c")
    return Grid(title, frozen(np.zeros((3, 3))), labels, labels, vmin, vmax, palette, rows, cols)


@pytest.mark.parametrize("grid", [
    _grid("QKᵀ/√d_k + mask", -7.4, 7.4),
    _grid("cross-attention, mean of 2 heads", 0.0, 1.0, "sequential", "output", "source"),
    _grid("2  QKᵀ/√16", -1.93, 1.93),
    _grid("α  我爱你 → 日本語のタイトルはとても長いです", 0.0, 1.0, "sequential"),  # learner text, two cells a character
    _grid("big", -12345.0, 6.7e-5),
    _grid("", -1.0, 1.0, rows=""),
])
def test_synthetic_titles_at_every_width(grid):
    for width in range(cell_len("".join(ends(grid))) + 2, 100):
        assert_whole_legend(grid, width)


def ramp(text: str) -> str:
    return text[text.index("-7.4 ") + 5:text.rindex(" +7.4")]


def test_what_gives_way_first():
    grid = _grid("QKᵀ/√d_k + mask", -7.4, 7.4)
    wide = title_text(grid, 80, Look(mono=True))
    assert wide.startswith("QKᵀ/√d_k + mask (query × key)   -7.4 ") and len(ramp(wide)) == 16
    narrower = title_text(grid, 50, Look(mono=True))    # the ramp shrinks first
    assert narrower.startswith("QKᵀ/√d_k + mask (query × key)   -7.4 ") and 6 <= len(ramp(narrower)) < 16
    squeezed = title_text(grid, 37, Look(mono=True))    # then the suffix goes, before the title is cut
    assert squeezed.startswith("QKᵀ/√d_k + mask   -7.4 ") and "(query" not in squeezed
    cut = title_text(grid, 28, Look(mono=True))         # then the title is shortened, marked
    assert cut.startswith("QKᵀ") and "…" in cut and cut.endswith(" +7.4")


def test_grid_size_matches_the_drawing():
    """The widget's virtual width holds the title line as drawn; the height is the lines drawn."""
    grid = _grid("cross-attention, mean of 2 heads", 0.0, 1.0, "sequential", "output", "source")
    for width in (10, 20, 37, 60, 120):
        w, h = grid_size(grid, width, cursor=True)
        lines = render_grid(grid, width, Look(), cursor=(0, 0))
        assert h == len(lines)
        assert w >= cell_len("".join(s.text for s in lines[0]))
        assert w <= max(width, 12)   # never wider than the view unless the cells need it
