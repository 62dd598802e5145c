"""Shown instead of any screen while the terminal is smaller than the layouts can hold.

The app pushes it when the terminal shrinks below MIN_SIZE (or a screen
opens while it is that small); it takes itself away once there is room
again, uncovering the screen as it was. The screens beneath are not laid
out at the tiny size meanwhile, and keys other than the app's (q, ?) do not
reach them.
"""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

MIN_SIZE = Size(40, 12)


def fits(size: Size) -> bool:
    return size.width >= MIN_SIZE.width and size.height >= MIN_SIZE.height


def message(size: Size) -> Content:
    return Content.assemble(
        ("Terminal too small", "bold"),
        f"\nneed {MIN_SIZE.width}×{MIN_SIZE.height}, have {size.width}×{size.height}",
        ("\nEnlarge the window, or press q to quit.", "dim"))


class TooSmall(Screen):
    HELP_TITLE = "terminal too small"
    DEFAULT_CSS = """
    TooSmall { align: center middle; overflow: hidden; }
    TooSmall > Static { width: 100%; height: auto; text-align: center; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.leaving = False

    def compose(self) -> ComposeResult:
        yield Static(message(self.app.size), id="message")

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#message", Static).update(message(event.size))
        self.leave_if_room(event.size)

    def on_screen_resume(self) -> None:
        self.leave_if_room(self.app.size)

    def leave_if_room(self, size: Size) -> None:
        if fits(size) and self.app.screen is self and not self.leaving:
            self.leaving = True
            self.dismiss()
