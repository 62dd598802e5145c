"""Caption: a frame's caption, folded to one line on a short screen so the panels come first.

Folded, it shows the caption's first line cut to the width with "…" and the
key that unfolds it; the whole text is one key away (`i` on a lesson). A
caption that already fits one line is shown as it is. On screens of
FOLD_BELOW rows or more it is always whole.
"""
from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widgets import Static
from .laid_out_once import LaidOutOnce

FOLD_BELOW = 30     # screen rows under which a caption starts folded
HINT = " (i: more)"


def folded_line(text: str, width: int, hint: str = HINT) -> str:
    """The caption's first line within `width` cells: whole when the caption is one
    line that fits, else cut with "…" and followed by the hint."""
    first, _, rest = text.partition("\n")
    if not rest and cell_len(first) <= width:
        return first
    room = max(1, width - cell_len(hint) - 1)
    head = first if cell_len(first) <= room else set_cell_size(first, room).rstrip()
    return head + "…" + hint


class Caption(LaidOutOnce, Static):
    """Set `text`; `foldable` lets a short screen fold it, `expanded` unfolds it."""

    text: reactive[str] = reactive("", layout=True)
    foldable: reactive[bool] = reactive(False, layout=True)
    expanded: reactive[bool] = reactive(False, layout=True)
    shown: str | None = None     # the text last given to Static.update

    @property
    def folded(self) -> bool:
        return self.foldable and not self.expanded and self.screen.size.height < FOLD_BELOW

    def watch_text(self) -> None:
        self.redraw()

    def watch_foldable(self) -> None:
        self.redraw()

    def watch_expanded(self) -> None:
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        if self.is_mounted:
            self.show_at(self.size.width)

    def show_at(self, width: int, layout: bool = True) -> None:
        shown = folded_line(self.text, width) if self.folded and width else self.text
        if shown != self.shown:    # the same text re-wraps by itself: updating it cost a layout pass
            self.shown = shown
            self.update(Content(shown), layout=layout)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """Folded for the width the layout measures it at, in that layout: folded after it,
        on resize, it asked for a second pass over the screen (a step's first visit at 80×24)."""
        if self.is_mounted:
            self.show_at(width, layout=False)
        return super().get_content_height(container, viewport, width)
