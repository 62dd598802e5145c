"""Help: every key of the screen it was opened from, with what it does."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def key_label(key: str) -> str:
    names = {"question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]",
             "plus": "+", "minus": "-", "equals_sign": "=", "space": "space", "escape": "esc"}
    return names.get(key, key)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: auto; max-width: 90%; height: auto; max-height: 90%;
        border: round $accent; padding: 0 1; background: $surface; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close help", id="help.close")]

    def __init__(self, title: str, bindings: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.bindings = title, bindings

    def compose(self) -> ComposeResult:
        table = Table(title=Text(f"Keys: {self.title_text}"), show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold")
        table.add_column()
        for keys, description in self.bindings:
            table.add_row(Text(keys), Text(description))
        with VerticalScroll():
            yield Static(table)
            yield Static(Text("esc closes this help", style="dim"))


def describe_bindings(active) -> list[tuple[str, str]]:
    """(keys, description) rows from Screen.active_bindings, keys merged per action."""
    rows: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for key, entry in active.items():
        binding = entry.binding
        if not binding.description:
            continue
        name = binding.id or binding.action
        rows.setdefault(name, []).append(key_label(key))
        descriptions[name] = binding.description
    return [("/".join(dict.fromkeys(keys)), descriptions[name]) for name, keys in rows.items()]
