"""RowView: a Row frame's panels side by side."""
from __future__ import annotations

from textual.containers import Horizontal
from textual.reactive import reactive

from tutor.frames import Row


class RowView(Horizontal):
    DEFAULT_CSS = """
    RowView { height: auto; }
    RowView > * { width: 1fr; margin-right: 1; }
    """
    row: reactive[Row | None] = reactive(None, always_update=True)

    def watch_row(self, row: Row | None) -> None:
        from .scene_view import sync_panels

        sync_panels(self, row.panels if row else ())
