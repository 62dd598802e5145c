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

from textual.geometry import Size
from textual.scrollbar import ScrollBar


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


class WithSteadyBars(LaidOutOnce):
    """A LaidOutOnce scroll container whose vertical scrollbar is LaidOutOnce too (Textual
    makes it on first use, as here: hidden until needed, started as the container's)."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        if self._vertical_scrollbar is None:
            bar = self._vertical_scrollbar = _Bar(vertical=True, name="vertical",
                                                  thickness=self.scrollbar_size_vertical)
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
