"""SceneView: draws one Frame (caption and panels) of whatever scene is running."""
from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tutor.frames import Frame, Grid, Row
from tutor.render import RENDERERS
from tutor.render.grid import min_width

PANEL_EDGES = 2   # a panel's focus edge on the left and the margin on its right

from .caption import Caption
from .heatmap import Heatmap
from .panel_view import PanelView
from .laid_out_once import LaidOutOnce, WithSteadyBars


class RowView(Horizontal):
    """A Row frame's panels side by side, or one under the other when a grid
    would not be whole at its share of the width."""

    DEFAULT_CSS = """
    RowView { height: auto; }
    RowView > * { width: 1fr; margin-right: 1; }
    RowView.-stacked { layout: vertical; }
    RowView.-stacked > * { width: 100%; margin-right: 0; margin-bottom: 1; }
    """
    row: reactive[Row | None] = reactive(None, always_update=True)

    def watch_row(self, row: Row | None) -> None:
        self.restack()
        sync_panels(self, row.panels if row else ())

    def on_resize(self) -> None:
        self.restack()

    def restack(self) -> None:
        if self.row is None or not self.size.width:
            return
        panels = self.row.panels
        share = (self.size.width - (len(panels) - 1)) // max(len(panels), 1)
        needed = max((min_width(p) + PANEL_EDGES for p in panels if isinstance(p, Grid)), default=0)
        self.set_class(needed > share, "-stacked")


# panel type -> (widget class, name of the widget's reactive that holds the panel):
# every kind render.RENDERERS draws, a Grid in the interactive Heatmap, and Rows.
PANEL_WIDGETS: dict[type, tuple[type[Widget], str]] = {
    **{kind: (PanelView, "panel") for kind in RENDERERS},
    Grid: (Heatmap, "grid"),
    Row: (RowView, "row"),
}


def sync_panels(container: Widget, panels: Sequence) -> None:
    """Make the container's .panel children draw these panels.

    Widgets are reused as far as the kinds line up from the front (all of
    them while a scene animates), so a grid keeps its cursor and scroll
    position between frames, and a frame with fewer or other panels (gates
    switching from LSTM to GRU) removes and mounts only the tail that differs:
    mounting costs far more than redrawing.
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
    fresh = []
    for panel in panels[kept:]:
        cls, attr = PANEL_WIDGETS[type(panel)]
        widget = cls(classes="panel")
        widget.set_reactive(getattr(cls, attr), panel)
        fresh.append(widget)
    if fresh:
        container.mount_all(fresh)
        for widget, panel in zip(fresh, panels[kept:]):
            # Watchers run once mounted. Re-set the widget's *current* value: a
            # newer frame may have arrived since, and must not be replaced.
            attr = PANEL_WIDGETS[type(panel)][1]
            widget.call_after_refresh(lambda w=widget, a=attr: setattr(w, a, getattr(w, a)))


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

    def compose(self) -> ComposeResult:
        yield Status(id="status")
        yield Caption(id="caption")

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
        sync_panels(self, frame.panels if frame else ())
