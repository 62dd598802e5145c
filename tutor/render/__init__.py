"""Pure drawing functions: frames in, Rich segments out (no Textual, no state)."""
from __future__ import annotations

from tutor.frames import Bars, Chart, Grid, Lines, Progress, Table

from .bars import render_bars
from .chart import render_chart
from .grid import render_grid
from .tables import render_lines, render_progress, render_table

# The one registry of panel kinds: panel type -> renderer(panel, width, look), which
# returns lines of Segments. The app's widgets draw every kind listed here (a
# Grid through the interactive Heatmap, the others through PanelView), and
# `tutor show` prints them; a Row only lays other panels side by side.
RENDERERS = {
    Grid: render_grid,
    Bars: render_bars,
    Chart: render_chart,
    Table: render_table,
    Lines: render_lines,
    Progress: render_progress,
}
