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

from .heatmap import Heatmap
from .panel_view import PanelView


class RowView(Horizontal):
    """A Row frame's panels side by side."""

    DEFAULT_CSS = """
    RowView { height: auto; }
    RowView > * { width: 1fr; margin-right: 1; }
    """
    row: reactive[Row | None] = reactive(None, always_update=True)

    def watch_row(self, row: Row | None) -> None:
        sync_panels(self, row.panels if row else ())


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


class SceneView(VerticalScroll):
    """Status and caption above the frame's panels. Set `frame`; the view redraws."""

    DEFAULT_CSS = """
    SceneView { height: 1fr; }
    SceneView > #caption { color: $text-muted; }
    SceneView > #status { color: $text-warning; }
    SceneView > .panel { margin-bottom: 1; }
    """
    frame: reactive[Frame | None] = reactive(None, always_update=True)
    status: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield Static(id="caption")

    def on_mount(self) -> None:
        self.watch_status(self.status)  # anything set before mounting
        self.watch_frame(self.frame)

    def watch_status(self, status: str) -> None:
        if not self.is_mounted:
            return
        widget = self.query_one("#status", Static)
        widget.update(Content(status))
        widget.display = bool(status)

    def watch_frame(self, frame: Frame | None) -> None:
        if not self.is_mounted:
            return
        self.query_one("#caption", Static).update(Content(frame.caption if frame else ""))
        sync_panels(self, frame.panels if frame else ())
