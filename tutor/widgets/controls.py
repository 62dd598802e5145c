"""Controls: the running scene's parameters and the animation state, with their keys."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from tutor.params import Param
from tutor.visible import visible
from .laid_out_once import LaidOutOnce

SPEEDS = (1.0, 0.6, 0.35, 0.2, 0.1, 0.05)  # seconds per frame


@dataclass(frozen=True)
class ControlState:
    params: tuple[Param, ...] = ()
    values: tuple[Any, ...] = ()
    selected: int = 0
    playing: bool = False
    speed: int = 2              # index into SPEEDS
    frame: int = 0
    frames: int = 0
    busy: bool = False


def _clip(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(state: ControlState, width: int | None = None) -> Content:
    """The parameters (selected one marked), then the keys and the animation.

    Given a width, lines break only between items, so a narrow column never
    splits "frame 7/7" or "speed 3/6" from itself (Textual's own wrapping
    breaks at any space, no-break spaces included).
    """
    params: list[Content] = []
    for i, (param, value) in enumerate(zip(state.params, state.values)):
        shown = f"“{_clip(visible(param.show(value)))}”" if param.kind == "text" else param.show(value)
        item = Content.assemble((f"{param.label or param.name}: ", "dim"), (shown, "bold"))
        if i == state.selected:
            item = Content.assemble(("▸", "bold $accent"), item, ("◂", "bold $accent"))
        else:
            item = Content.assemble(" ", item, " ")
        params.append(item)
    play = "playing" if state.playing else "paused"
    keys: list[Content] = []
    if state.params:
        keys += [_key("c", "control"), _key("[ ]", "change"), _key("e", "type"), Content("│")]
    keys += [_key("p", play), _key("+-", f"speed {state.speed + 1}/{len(SPEEDS)}"), _key("r", "restart"),
             Content.styled(f"scene frame {state.frame + 1}/{state.frames}" if state.frames else "no frames yet", "dim")]
    if state.busy:
        keys.append(Content.styled(" computing…", "italic $warning"))
    lines = _pack(params, "  ", width) if params else []
    return Content("\n").join(lines + _pack(keys, " ", width))


def _key(key: str, does: str) -> Content:
    return Content.assemble((key, "bold"), f" {does}")


def _pack(items: list[Content], sep: str, width: int | None) -> list[Content]:
    """Items on lines of at most `width` cells (one line when no width), broken between items."""
    lines: list[list[Content]] = [[]]
    used = 0
    for item in items:
        extra = item.cell_length + (len(sep) if lines[-1] else 0)
        if width and lines[-1] and used + extra > width:
            lines.append([])
            used, extra = 0, item.cell_length
        lines[-1].append(item)
        used += extra
    return [Content(sep).join(line) for line in lines]


class Controls(LaidOutOnce, Widget):
    """Shows a ControlState; keys are bound on the screen that owns the scene.

    Animation changes only the frame counter, so the layout is redone only
    when the height the text needs changes.
    """

    DEFAULT_CSS = """
    Controls { height: auto; padding: 0 1; background: $boost; }
    """
    state: reactive[ControlState] = reactive(ControlState)

    def render(self) -> Content:
        return describe(self.state, self.content_region.width or None)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return rows(self.state, width)

    def watch_state(self, old: ControlState, new: ControlState) -> None:
        width = self.content_region.width
        self.refresh(layout=not width or rows(old, width) != rows(new, width))


def rows(state: ControlState, width: int) -> int:
    """Lines the state takes at this width (an item wider than the width folds)."""
    return len(describe(state, width).wrap(max(width, 1)))
