"""PlainInput: a text input that drops control characters, typed or pasted."""
from __future__ import annotations

from textual.widgets import Input

from tutor.visible import without_controls


class PlainInput(Input):
    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(without_controls(text), start, end)
