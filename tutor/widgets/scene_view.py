"""SceneView: draws one Frame (caption and panels) of whatever scene is running."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tutor.frames import Frame, Grid, Row
from tutor.render import RENDERERS
from tutor.render.grid import min_width

PANEL_EDGES = 2   # a panel's focus edge on the left and the gap on its right

from .caption import Caption
from .heatmap import Heatmap
from .panel_view import PanelView
from .laid_out_once import LaidOutOnce, WithSteadyBars
from .one_update import OneUpdate
from .row_layout import RowLayout


class RowView(LaidOutOnce, Widget, can_focus=False):
    """A Row frame's panels side by side, or one under the other when a grid
    would not be whole at its share of the width (RowLayout)."""

    DEFAULT_CSS = """
    RowView { width: 1fr; height: auto; overflow: hidden hidden; }
    RowView > * { width: 100%; }
    """
    row: reactive[Row | None] = reactive(None, always_update=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stacked = False          # as last laid out
        self.row_layout = RowLayout(self.stack_for)

    @property
    def layout(self) -> RowLayout:
        return self.row_layout

    def compose(self) -> ComposeResult:
        # Its panels mount with it, in one layout, not one pass later from watch_row.
        yield from panel_widgets(self.row.panels if self.row else ())

    def stack_for(self, width: int) -> bool:
        """One panel under the other at this width: a grid would not be whole at its share."""
        panels = self.row.panels if self.row else ()
        share = (width - (len(panels) - 1)) // max(len(panels), 1)
        needed = max((min_width(p) + PANEL_EDGES for p in panels if isinstance(p, Grid)), default=0)
        self.stacked = needed > share
        return self.stacked

    def watch_row(self, row: Row | None) -> None:
        was = self.stacked
        sync_panels(self, row.panels if row else ())
        if self.size.width and self.stack_for(self.size.width) != was:
            self.refresh(layout=True)


# panel type -> (widget class, name of the widget's reactive that holds the panel):
# every kind render.RENDERERS draws, a Grid in the interactive Heatmap, and Rows.
PANEL_WIDGETS: dict[type, tuple[type[Widget], str]] = {
    **{kind: (PanelView, "panel") for kind in RENDERERS},
    Grid: (Heatmap, "grid"),
    Row: (RowView, "row"),
}


def panel_widgets(panels: Sequence) -> list[Widget]:
    """New widgets that draw these panels, each holding its panel before it mounts
    (its watcher runs with it on mount)."""
    widgets = []
    for panel in panels:
        cls, attr = PANEL_WIDGETS[type(panel)]
        widget = cls(classes="panel")
        widget.set_reactive(getattr(cls, attr), panel)
        widgets.append(widget)
    return widgets


def sync_panels(container: Widget, panels: Sequence) -> list[Widget]:
    """Make the container's .panel children draw these panels.

    Widgets are reused as far as the kinds line up from the front (all of
    them while a scene animates), so a grid keeps its cursor and scroll
    position between frames, and a frame with fewer or other panels (gates
    switching from LSTM to GRU) removes and mounts only the tail that differs:
    mounting costs far more than redrawing. Returns the widgets it mounts.
    """
    current = list(container.query_children(".panel"))
    kept = 0
    for widget, panel in zip(current, panels):
        if type(widget) is not PANEL_WIDGETS[type(panel)][0]:
            break
        kept += 1
    for widget, panel in zip(current[:kept], panels):
        setattr(widget, PANEL_WIDGETS[type(panel)][1], panel)
    for widget in current[kept:]:
        widget.remove()
    fresh = panel_widgets(panels[kept:])
    if fresh:
        container.mount_all(fresh)
    return fresh


class Status(LaidOutOnce, Static):
    """The one-line message of a scene that stopped or cannot run."""


class SceneView(WithSteadyBars, VerticalScroll, can_focus=False):
    """Status and caption above the frame's panels. Set `frame`; the view redraws.
    The caption folds to one line on a short screen where the screen lets it (Caption)."""

    DEFAULT_CSS = """
    SceneView { height: 1fr; }
    SceneView > #caption { color: $text-muted; }
    SceneView > #status { color: $text-warning; }
    SceneView > .panel { margin-bottom: 1; }
    """
    frame: reactive[Frame | None] = reactive(None, always_update=True)
    status: reactive[str] = reactive("")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mounting: list[Widget] = []   # the frames' new panel widgets, until they have mounted
        self.one_update = OneUpdate(self)

    async def mounted(self) -> None:
        """Until the panel widgets of the frames set so far have mounted. (Awaiting the
        AwaitMount again would ask for a layout again: a second pass after the first.)"""
        while self.mounting:
            pending, self.mounting = self.mounting, []
            await asyncio.gather(*(widget._mounted_event.wait() for widget in pending))

    def compose(self) -> ComposeResult:
        yield Status(id="status")
        yield Caption(id="caption")

    def on_unmount(self) -> None:
        self.one_update.close()

    def on_mount(self) -> None:
        self.watch_status(self.status)  # anything set before mounting
        self.watch_frame(self.frame)

    def watch_status(self, status: str) -> None:
        if not self.is_mounted:
            return
        widget = self.query_one("#status", Static)
        widget.update(Content(status))
        widget.display = bool(status)

    def on_heatmap_cell_selected(self, event: Heatmap.CellSelected) -> None:
        """Scroll so the cursor's row and the readout under the grid are in sight."""
        event.stop()
        region = event.region.translate((0, event.heatmap.virtual_region.y))
        if region.height > self.scrollable_content_region.height:
            region = region._replace(height=1)   # the row at least, when the readout cannot be too
        self.scroll_to_region(region, animate=False, immediate=True)

    def panels(self) -> list[Widget]:
        """The frame's top-level panel widgets (a Row counts as one), top to bottom."""
        return list(self.query_children(".panel"))

    def page(self, direction: int) -> None:
        """Scroll so the next (direction 1) or previous (-1) panel starts at the top."""
        top = self.scroll_y
        starts = sorted({p.virtual_region.y for p in self.panels()})
        if direction > 0:
            later = [y for y in starts if y > top]
            target = later[0] if later else self.max_scroll_y
        else:
            earlier = [y for y in starts if y < top]
            target = earlier[-1] if earlier else 0
        self.scroll_to(y=target, animate=False)

    def watch_frame(self, frame: Frame | None) -> None:
        if not self.is_mounted:
            return
        self.query_one(Caption).text = frame.caption if frame else ""
        fresh = sync_panels(self, frame.panels if frame else ())
        if fresh:
            self.mounting += fresh
            self.one_update.hold(self.mounted)   # drawn once they have mounted, in one layout
