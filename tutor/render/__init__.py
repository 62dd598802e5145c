"""Pure drawing functions: frames in, Rich segments out (no Textual, no state)."""
from __future__ import annotations

from tutor.frames import Bars, Chart, Lines, Progress, Table

from .bars import render_bars
from .chart import render_chart
from .tables import render_lines, render_progress, render_table

# panel type -> renderer(panel, width, look) -> list of lines of Segments (grids: render.grid)
RENDERERS = {
    Bars: render_bars,
    Chart: render_chart,
    Table: render_table,
    Lines: render_lines,
    Progress: render_progress,
}
