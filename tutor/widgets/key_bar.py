"""The key bar: one line at the foot of a screen naming the keys it answers to.

It does the job of Textual's Footer, which builds a widget per key (five on
the course map) and composes them again whenever the screen's bindings
change: on the course map that came to ~15 ms of the first paint on this
machine, a twentieth of the whole start (bench/app.py; docs/benchmarks.md).
This bar draws the same line as one piece of Content and draws it again when
the bindings change. As in the Footer: the shown bindings in order, one key
per action, disabled ones dimmed, the palette key at the right edge, and a
click on a key presses it (a disabled one rings the bell).
"""
from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget


class KeySpan(NamedTuple):
    start: int          # cells from the bar's left edge
    end: int
    key: str            # what a click presses
    enabled: bool


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """
    ALLOW_SELECT = False
    hovered: reactive[int | None] = reactive(None)   # the key under the mouse, by place in the line

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def bindings_changed(self, screen: Screen) -> None:
        self.refresh()

    def line(self) -> tuple[Content, list[KeySpan]]:
        """The bar as drawn at its width, and where each key lies in it."""
        app, bindings = self.app, self.screen.active_bindings
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        left, keys, actions = Content(""), [], set()
        for key, (_node, binding, enabled, _tooltip) in bindings.items():
            if binding.show and binding.action not in actions and key != palette_key:
                actions.add(binding.action)
                item = self.item(app.get_key_display(binding), binding.description, enabled)
                keys.append(KeySpan(left.cell_length, left.cell_length + item.cell_length, binding.key, enabled))
                left += item
        right, palette = Content(""), None
        if palette_key in bindings:
            _node, binding, enabled, _tooltip = bindings[palette_key]
            right = Content.styled("▏", "$foreground 20%") + self.item(
                app.get_key_display(binding), binding.description, enabled, lead="")
            palette = (binding.key, enabled)
        room = self.size.width - right.cell_length
        if left.cell_length > room:
            left = left.truncate(max(room, 0), ellipsis=True)
            keys = [k._replace(end=min(k.end, room - 1)) for k in keys if k.start < room - 1]
        if palette is not None:
            keys.append(KeySpan(room + 1, self.size.width, *palette))
        line = left.pad_right(room - left.cell_length) + right
        if self.hovered is not None and self.hovered < len(keys) and keys[self.hovered].enabled:
            line = line.stylize("on $block-hover-background", keys[self.hovered].start, keys[self.hovered].end)
        return line, keys

    def render(self) -> Content:
        return self.line()[0]

    @staticmethod
    def item(display: str, description: str, enabled: bool, lead: str = " ") -> Content:
        """One key: its name in the key colours, then what it does."""
        content = Content.assemble((f"{lead}{display} ", "bold $footer-key-foreground on $footer-key-background"),
                                   (f"{description} " if description else "", "$footer-description-foreground"))
        return content if enabled else content.stylize("dim")

    def key_at(self, x: int) -> tuple[int, KeySpan] | None:
        for index, key in enumerate(self.line()[1]):
            if key.start <= x < key.end:
                return index, key
        return None

    def on_click(self, event: events.Click) -> None:
        found = self.key_at(event.x)
        if found is not None:
            _index, key = found
            if key.enabled:
                self.app.simulate_key(key.key)
            else:
                self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        found = self.key_at(event.x)
        self.hovered = None if found is None else found[0]

    def on_leave(self, event: events.Leave) -> None:
        self.hovered = None
