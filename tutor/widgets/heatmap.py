"""Heatmap: one Grid frame drawn through the line API, with a cell cursor."""
from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tutor.frames import Grid
from tutor.render.grid import cell_width, grid_line, grid_size, header_lines, label_width
from tutor.render.look import Look

from .laid_out_once import BarMeasured
from .look import current_look


class Heatmap(BarMeasured, ScrollView, can_focus=True):
    """A colored grid. Arrow keys move a cursor that reads out a cell's exact value.

    The grid is as tall as its rows (the scene view is the one that scrolls up
    and down); the cursor is drawn, and read out under the grid, only while the
    grid has focus, and the scene view scrolls to keep it in sight
    (CellSelected).
    """

    DEFAULT_CSS = """
    Heatmap { width: 1fr; height: auto; min-height: 4; scrollbar-size-horizontal: 1; overflow-y: hidden;
              border-left: blank; }
    Heatmap:focus { background: $boost; border-left: thick $accent; }
    """
    BINDINGS = [
        Binding("up", "move(-1, 0)", "Cell up", show=False, id="heatmap.up"),
        Binding("down", "move(1, 0)", "Cell down", show=False, id="heatmap.down"),
        Binding("left", "move(0, -1)", "Cell left", show=False, id="heatmap.left"),
        Binding("right", "move(0, 1)", "Cell right", show=False, id="heatmap.right"),
        Binding("escape", "leave", "Leave the grid", show=False, id="heatmap.leave"),
        Binding("home", "jump(0)", "First column", show=False, id="heatmap.home"),
        Binding("end", "jump(-1)", "Last column", show=False, id="heatmap.end"),
    ]

    grid: reactive[Grid | None] = reactive(None, always_update=True)
    cursor: reactive[tuple[int, int] | None] = reactive(None)

    class CellSelected(Message):
        """The cursor moved onto (or came back to) a cell; `region` is where its row and
        the readout are, in the heatmap's own lines, for the scene view to bring in sight."""

        def __init__(self, heatmap: "Heatmap", row: int, col: int, value: float, region: Region) -> None:
            super().__init__()
            self.heatmap, self.row, self.col, self.value, self.region = heatmap, row, col, value, region

        @property
        def control(self) -> "Heatmap":
            return self.heatmap

    def __init__(self, grid: Grid | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(Heatmap.grid, grid)
        self._drawn_grid: Grid | None = None       # the frame the kept lines were drawn from,
        self._drawn_for: tuple | None = None       # and the look, cursor and style
        self._drawn: dict[tuple[int, int, int], Strip] = {}

    @property
    def look(self) -> Look:
        return current_look(self)

    @property
    def shown_cursor(self) -> tuple[int, int] | None:
        """The cursor as drawn: only while the grid has focus."""
        return self.cursor if self.has_focus else None

    def _measure(self) -> bool:
        """Update the virtual size; True if it changed (a relayout is needed)."""
        if self.grid is None:
            size = Size(0, 0)
        else:
            size = Size(*grid_size(self.grid, self.scrollable_content_region.width or 80, self.shown_cursor is not None))
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

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        """Textual's hook as the layout gives the grid its size: the virtual size (how far
        it scrolls sideways) is set for the new width here, before the scrollbars are
        placed, and not on Resize after the layout, which took a second layout pass
        (7 ms, and every grid drawn again) on each z and on most step switches."""
        if self.grid is not None and size.width:
            width = max(size.width - self.styles.gutter.width, 1)
            self.set_reactive(Heatmap.virtual_size, Size(*grid_size(self.grid, width, self.shown_cursor is not None)))
        return super()._size_updated(size, virtual_size, container_size, layout)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.grid is None:
            return 1
        w, h = grid_size(self.grid, width, self.shown_cursor is not None)
        self.expect_horizontal_bar(w > width)
        return h + (1 if w > width else 0)  # room for the horizontal scrollbar

    def render_line(self, y: int) -> Strip:
        """Line y as drawn. Lines are kept for the frame, look and cursor they were drawn
        with, at each width, so a maximised scene restored (z twice) is not drawn again."""
        width = self.scrollable_content_region.width
        style = self.rich_style
        if self.grid is None:
            return Strip.blank(width, style)
        scroll_x, scroll_y = self.scroll_offset
        look, cursor = self.look, self.shown_cursor
        state = (look, cursor, style)
        if self._drawn_grid is not self.grid or self._drawn_for != state:
            self._drawn_grid, self._drawn_for, self._drawn = self.grid, state, {}
        key = (width, y + scroll_y, scroll_x)
        strip = self._drawn.get(key)
        if strip is None:
            segments = grid_line(self.grid, y + scroll_y, width, look, cursor)
            strip = Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width).apply_style(style)
            self._drawn[key] = strip
        return strip

    def watch_has_focus(self, focused: bool) -> None:
        super().watch_has_focus(focused)
        if focused and self.cursor is None and self.grid is not None and all(self.grid.shape):
            self.cursor = (0, 0)
        self.refresh(layout=self._measure())
        if focused:
            self.call_after_refresh(self.announce)   # once laid out with its readout line

    def action_leave(self) -> None:
        self.screen.set_focus(None)

    def action_move(self, dr: int, dc: int) -> None:
        if self.grid is None or not all(self.grid.shape):
            return
        rows, cols = self.grid.shape
        r, c = self.cursor or (0, 0)
        self.cursor = (min(max(r + dr, 0), rows - 1), min(max(c + dc, 0), cols - 1))
        self.announce()

    def action_jump(self, col: int) -> None:
        if self.grid is not None and all(self.grid.shape):
            r = self.cursor[0] if self.cursor else 0
            self.cursor = (r, col % self.grid.shape[1])
            self.announce()

    def announce(self) -> None:
        """Keep the cursor in sight: sideways here, up and down by the scene view."""
        if self.cursor is None or self.grid is None:
            return
        r, c = self.cursor
        width = self.scrollable_content_region.width or 80
        cw, lw = cell_width(self.grid, width), label_width(self.grid, width)
        x = lw + c * cw
        if x < self.scroll_x + lw or x + cw > self.scroll_x + width:
            self.scroll_to(x=max(0, x - lw - (width - lw) // 2), animate=False)
        head = header_lines(self.grid, width)
        rows = self.grid.shape[0]
        region = Region(0, head + r, width, rows - r + 1)   # the row down to the readout
        self.post_message(self.CellSelected(self, r, c, float(self.grid.values[r, c]), region))
