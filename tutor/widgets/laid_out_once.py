"""LaidOutOnce: a widget whose new size does not ask Textual for a second layout pass.

When a layout gives a widget a new size, Textual sets its virtual size as a
reactive that asks for layout again: one more pass over the whole screen,
which on the z key (maximise) cost as much as the first. The pass computes
the same arrangement unless a scrollbar appears or goes, since the first
pass already placed everything at the new size; so a LaidOutOnce widget
takes the size without the request, and asks for the second pass only when
its scrollbars change.
"""
from __future__ import annotations

from textual.containers import VerticalScroll
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar
from textual.widget import Widget
from textual.widgets import Static


class LaidOutOnce:
    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        if not layout or not self.is_scrollable:
            return super()._size_updated(size, virtual_size, container_size, layout=False)
        bars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        changed = super()._size_updated(size, virtual_size, container_size, layout=False)
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != bars:
            self.refresh(layout=True)
        return changed


class _Bar(LaidOutOnce, ScrollBar):
    """A scrollbar: its size never changes what is laid out around it."""


def _steady_bar(widget: Widget, vertical: bool) -> _Bar:
    """The widget's scrollbar, made as Textual makes its own on first use, but shown at once
    if the widget already means to show it (Textual's starts hidden and is shown a moment
    later, which asked for one more layout pass)."""
    if vertical:
        bar = _Bar(vertical=True, name="vertical", thickness=widget.scrollbar_size_vertical)
        bar.display = widget.show_vertical_scrollbar
    else:
        bar = _Bar(vertical=False, name="horizontal", thickness=widget.scrollbar_size_horizontal)
        bar.display = widget.show_horizontal_scrollbar
    widget.app._start_widget(widget, bar)
    return bar


class WithSteadyBars(LaidOutOnce):
    """A LaidOutOnce scroll container whose vertical scrollbar is LaidOutOnce too (_steady_bar).

    Whether the bar shows is decided as the layout reaches the container: its children
    arranged at the whole width, taller than the view, and the bar takes its columns in
    this same layout. Textual decides it after the layout, and a frame taller than the last
    one (a step's new scene, z) was laid out and drawn all over again: ~30 ms.
    """

    def _get_scrollable_region(self, region: Region) -> Region:
        if self.styles.overflow_y == "auto" and region.width and region.height:
            shown = self.arrange(region.size).total_region.height > region.height
            if shown != self.show_vertical_scrollbar:
                self.set_reactive(Widget.show_vertical_scrollbar, shown)
                if self._vertical_scrollbar is not None:   # quietly: this layout places it
                    self._vertical_scrollbar.styles.set_rule("display", "block" if shown else "none")
        return super()._get_scrollable_region(region)

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            self._vertical_scrollbar = _steady_bar(self, vertical=True)
        return self._vertical_scrollbar


class BarMeasured:
    """A scroll view (a grid, a panel) that learns whether its horizontal scrollbar shows
    as the layout measures its height at the width it will have (get_content_height
    calls expect_horizontal_bar), so that layout places the bar. Found after the
    layout, the bar took a second pass over the whole screen (~20 ms, and a step's
    grids drawn twice)."""

    def expect_horizontal_bar(self, shown: bool) -> None:
        if shown != self.show_horizontal_scrollbar and self._horizontal_scrollbar is None:
            # Quietly: the layout under way places it (a bar already made shows or hides
            # as Textual does, after the layout, as its display changes).
            self.set_reactive(Widget.show_horizontal_scrollbar, shown)

    @property
    def horizontal_scrollbar(self) -> ScrollBar:
        if self._horizontal_scrollbar is None:
            self._horizontal_scrollbar = _steady_bar(self, vertical=False)
        return self._horizontal_scrollbar


class SteadyStatic(LaidOutOnce, Static):
    """A Static that takes its new size without a second layout pass (a lesson's text)."""


class SteadyScroll(WithSteadyBars, VerticalScroll):
    """A VerticalScroll that takes its new size without a second layout pass (the text pane)."""
