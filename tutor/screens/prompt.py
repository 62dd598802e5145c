"""A one-line prompt for typing a scene value; the text is taken literally."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tutor.widgets.plain_input import PlainInput


class TextPrompt(ModalScreen[str | None]):
    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical { width: 80%; min-width: 20; height: auto; border: round $accent;
        background: $surface; padding: 0 1; }
    TextPrompt #error { color: $text-error; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(self, label: str, value: str, validate=None) -> None:
        super().__init__()
        self.label, self.value, self.validate_value = label, value, validate

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.label))
            yield PlainInput(self.value, id="value")
            yield Static(id="error")
            yield Static(Content("enter to apply, esc to cancel"), classes="dim")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.is_active:
            return   # a second enter of the same burst: the first closed the prompt, and
                     # dismissing again would close the screen below it
        if self.validate_value is not None:
            error = self.validate_value(event.value)
            if error:
                self.query_one("#error", Static).update(Content(error))
                return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
