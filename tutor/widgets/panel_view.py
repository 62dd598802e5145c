"""PanelView: draws any non-grid panel (bars, chart, table, lines, progress).

The panel's pure renderer turns it into lines of segments for the current
width; the widget shows them through the line API and scrolls sideways when
they are wider than the view. It draws again whenever the width it last drew
at is not the width it is about to paint: a Resize event alone misses the
column its own scrollbar takes when a taller frame arrives.

A layout asks for the height at a width, then the widget draws at that
width (on resize, on a new panel, before painting): one frame is drawn once
per width and look (Drawings), not three to eight times as each of those
asked the renderer again (a bars panel: 7 ms each).
"""
from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tutor.render import RENDERERS

from .laid_out_once import BarMeasured
from .look import current_look

KEPT_WIDTHS = 2     # the scene's width and its maximised width: z and back draw nothing again


class Drawings:
    """One panel's drawings by (width, look), the last KEPT_WIDTHS of them; a new panel clears them."""

    def __init__(self) -> None:
        self.panel: Any = None
        self.lines: dict[tuple, list[list[Segment]]] = {}

    def get(self, panel: Any, width: int, look) -> list[list[Segment]]:
        if panel is not self.panel:
            self.panel, self.lines = panel, {}
        key = (width, look)
        lines = self.lines.get(key)
        if lines is None:
            lines = RENDERERS[type(panel)](panel, width, look)
            self.lines[key] = lines
            while len(self.lines) > KEPT_WIDTHS:
                self.lines.pop(next(iter(self.lines)))
        return lines


class PanelView(BarMeasured, ScrollView, can_focus=False):
    """As tall as its drawing (the scene view scrolls up and down); focusable, to
    scroll it sideways with the arrows, only while it is wider than its view."""

    DEFAULT_CSS = """
    PanelView { width: 1fr; height: auto; scrollbar-size-horizontal: 1; overflow-y: hidden; border-left: blank; }
    PanelView:focus { background: $boost; border-left: thick $accent; }
    """
    BINDINGS = [
        Binding("left", "sideways(-4)", "Scroll left", show=False, id="panel.left"),
        Binding("right", "sideways(4)", "Scroll right", show=False, id="panel.right"),
        Binding("up,down", "nothing", "Nothing (the step stays)", show=False, id="panel.updown"),
        Binding("escape", "leave", "Leave the panel", show=False, id="panel.leave"),
    ]
    panel: reactive[Any] = reactive(None, always_update=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.drawn: list[list[Segment]] = []  # the panel rendered at the current width
        self.drawn_width = 0                   # the width it was rendered at
        self.drawings = Drawings()
        self.strips: dict[tuple, Strip] = {}   # lines as painted, for the drawing they were cut from
        self.strips_for: tuple = (None, None)   # (the drawing, the style)

    def draw(self, width: int | None = None, quiet: bool = False) -> bool:
        """Render the panel at the current width (or `width`); True if its size changed.
        quiet: set the virtual size without asking for a layout (the layout is under way)."""
        width = width or self.scrollable_content_region.width or self.size.width or 80
        self.drawn_width = width
        self.drawn = self.drawings.get(self.panel, width, current_look(self)) if self.panel else []
        longest = max((Segment.get_line_length(line) for line in self.drawn), default=0)
        size = Size(longest, len(self.drawn))
        changed = size != self.virtual_size
        if quiet:
            self.set_reactive(PanelView.virtual_size, size)
        else:
            self.virtual_size = size
        self.can_focus = longest > width
        return changed

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        """Textual's hook as the layout gives the panel its size: drawn at the new width here,
        before the scrollbars are placed, and not on Resize after the layout, which took a
        second layout pass on each z and on most step switches."""
        if self.panel is not None and size.width:
            self.draw(max(size.width - self.styles.gutter.width, 1), quiet=True)
        return super()._size_updated(size, virtual_size, container_size, layout)

    def action_sideways(self, cells: int) -> None:
        self.scroll_to(x=self.scroll_x + cells, animate=False)

    def action_nothing(self) -> None:
        """Arrows on a focused panel never fall through to the screen (they would change the step)."""

    def action_leave(self) -> None:
        self.screen.set_focus(None)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self.theme_changed)

    def on_unmount(self) -> None:
        self.app.theme_changed_signal.unsubscribe(self)   # else the app's signal keeps this panel alive

    def theme_changed(self, theme) -> None:
        """Renderers may pick colors by theme: draw again with the new look."""
        self.refresh(layout=self.draw())

    def watch_panel(self) -> None:
        self.refresh(layout=self.draw())

    def on_resize(self) -> None:
        self.draw()
        self.refresh()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.panel is None:
            return 1
        lines = self.drawings.get(self.panel, width, current_look(self))
        longest = max((Segment.get_line_length(line) for line in lines), default=0)
        self.expect_horizontal_bar(longest > width)
        return len(lines) + (1 if longest > width else 0)

    def render_lines(self, crop: Region) -> list[Strip]:
        width = self.scrollable_content_region.width
        if self.panel is not None and width and width != self.drawn_width and self.draw():
            self.call_after_refresh(self.refresh, layout=True)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line y as painted; kept for the drawing and style it was cut from (a repaint of the
        screen around the panel, or the panel scrolled back, cuts nothing again)."""
        width = self.scrollable_content_region.width
        scroll_x, scroll_y = self.scroll_offset
        style = self.rich_style
        if self.strips_for[0] is not self.drawn or self.strips_for[1] != style:
            self.strips, self.strips_for = {}, (self.drawn, style)
        key = (y + scroll_y, scroll_x, width)
        strip = self.strips.get(key)
        if strip is None:
            index = y + scroll_y
            if index >= len(self.drawn):
                strip = Strip.blank(width, style)
            else:
                strip = Strip(self.drawn[index]).crop(scroll_x, scroll_x + width)
                strip = strip.extend_cell_length(width).apply_style(style)
            self.strips[key] = strip
        return strip
