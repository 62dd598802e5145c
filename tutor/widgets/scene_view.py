"""SceneView: draws one Frame (caption and panels) of whatever scene is running."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from tutor.scenes.frame import Frame, Grid

from .heatmap import Heatmap

# panel type -> (widget class, name of the widget's reactive that holds the panel)
PANEL_WIDGETS: dict[type, tuple[type[Widget], str]] = {
    Grid: (Heatmap, "grid"),
}


class SceneView(VerticalScroll):
    """Status and caption above the frame's panels. Set `frame`; the view redraws."""

    DEFAULT_CSS = """
    SceneView { height: 1fr; }
    SceneView > #caption { color: $text-muted; }
    SceneView > #status { color: $text-warning; }
    """
    frame: reactive[Frame | None] = reactive(None, always_update=True)
    status: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield Static(id="caption")

    def watch_status(self, status: str) -> None:
        widget = self.query_one("#status", Static)
        widget.update(Content(status))
        widget.display = bool(status)

    def watch_frame(self, frame: Frame | None) -> None:
        self.query_one("#caption", Static).update(Content(frame.caption if frame else ""))
        panels = frame.panels if frame else ()
        current = list(self.query(".panel"))
        same_kinds = len(current) == len(panels) and all(
            type(w) is PANEL_WIDGETS[type(p)][0] for w, p in zip(current, panels))
        if same_kinds:
            for widget, panel in zip(current, panels):
                setattr(widget, PANEL_WIDGETS[type(panel)][1], panel)
            return
        for widget in current:
            widget.remove()
        fresh = []
        for panel in panels:
            cls, attr = PANEL_WIDGETS[type(panel)]
            widget = cls(classes="panel")
            setattr(widget, attr, panel)
            fresh.append(widget)
        if fresh:
            self.mount_all(fresh)
