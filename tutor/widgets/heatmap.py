"""Heatmap: one Grid frame drawn through the line API, with a cell cursor."""
from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tutor.render.grid import grid_line, grid_size
from tutor.render.look import Look

from .look import current_look
from tutor.frames import Grid


class Heatmap(ScrollView, can_focus=True):
    """A colored grid. Arrow keys move a cursor that reads out a cell's exact value."""

    DEFAULT_CSS = """
    Heatmap { height: auto; max-height: 100%; min-height: 4; scrollbar-size: 1 1; }
    Heatmap:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("up", "move(-1, 0)", "Cell up", show=False, id="heatmap.up"),
        Binding("down", "move(1, 0)", "Cell down", show=False, id="heatmap.down"),
        Binding("left", "move(0, -1)", "Cell left", show=False, id="heatmap.left"),
        Binding("right", "move(0, 1)", "Cell right", show=False, id="heatmap.right"),
        Binding("escape", "leave", "Leave the grid", show=False, id="heatmap.leave"),
    ]

    grid: reactive[Grid | None] = reactive(None, always_update=True)
    cursor: reactive[tuple[int, int] | None] = reactive(None)

    class CellSelected(Message):
        """The cursor moved onto a cell."""

        def __init__(self, heatmap: "Heatmap", row: int, col: int, value: float) -> None:
            super().__init__()
            self.heatmap, self.row, self.col, self.value = heatmap, row, col, value

        @property
        def control(self) -> "Heatmap":
            return self.heatmap

    def __init__(self, grid: Grid | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(Heatmap.grid, grid)

    @property
    def look(self) -> Look:
        return current_look(self)

    def _measure(self) -> bool:
        """Update the virtual size; True if it changed (a relayout is needed)."""
        if self.grid is None:
            size = Size(0, 0)
        else:
            size = Size(*grid_size(self.grid, self.scrollable_content_region.width or 80, self.cursor is not None))
        changed = size != self.virtual_size
        self.virtual_size = size
        return changed

    def watch_grid(self, grid: Grid | None) -> None:
        if grid is not None and self.cursor is not None:
            rows, cols = grid.shape
            if rows == 0 or cols == 0:
                self.cursor = None
            else:
                self.cursor = (min(self.cursor[0], rows - 1), min(self.cursor[1], cols - 1))
        self.refresh(layout=self._measure())

    def watch_cursor(self) -> None:
        self.refresh(layout=self._measure())

    def on_resize(self) -> None:
        self._measure()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.grid is None:
            return 1
        w, h = grid_size(self.grid, width, self.cursor is not None)
        return h + (1 if w > width else 0)  # room for the horizontal scrollbar

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if self.grid is None:
            return Strip.blank(width, self.rich_style)
        scroll_x, scroll_y = self.scroll_offset
        segments = grid_line(self.grid, y + scroll_y, width, self.look, self.cursor)
        strip = Strip(segments).crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width).apply_style(self.rich_style)

    def on_focus(self) -> None:
        if self.cursor is None and self.grid is not None and all(self.grid.shape):
            self.cursor = (0, 0)

    def action_leave(self) -> None:
        self.screen.set_focus(None)

    def action_move(self, dr: int, dc: int) -> None:
        if self.grid is None or not all(self.grid.shape):
            return
        rows, cols = self.grid.shape
        r, c = self.cursor or (0, 0)
        self.cursor = (min(max(r + dr, 0), rows - 1), min(max(c + dc, 0), cols - 1))
        r, c = self.cursor
        self.post_message(self.CellSelected(self, r, c, float(self.grid.values[r, c])))
