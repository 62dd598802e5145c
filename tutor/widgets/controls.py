"""Controls: the running scene's parameters and the animation state, with their keys."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from tutor.scenes.params import Param
from tutor.visible import visible

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


def describe(state: ControlState) -> Content:
    """Two lines: the parameters (selected one marked) and the animation."""
    parts: list[Content | str] = []
    for i, (param, value) in enumerate(zip(state.params, state.values)):
        shown = f"“{_clip(visible(param.show(value)))}”" if param.kind == "text" else param.show(value)
        item = Content.assemble((f"{param.label or param.name}: ", "dim"), (shown, "bold"))
        if i == state.selected:
            item = Content.assemble(("▸", "bold $accent"), item, ("◂", "bold $accent"))
        else:
            item = Content.assemble(" ", item, " ")
        parts.extend([item, "  "])
    play = "playing" if state.playing else "paused"
    keys = []
    if state.params:
        keys += [("c", "bold"), " control ", ("[ ]", "bold"), " change ", ("e", "bold"), " type │ "]
    keys += [("p", "bold"), f" {play} ", ("+-", "bold"), f" speed {state.speed + 1}/{len(SPEEDS)} ",
             ("r", "bold"), " restart ",
             (f"frame {state.frame + 1}/{state.frames}" if state.frames else "no frames yet", "dim"),
             ("  computing…" if state.busy else "", "italic $warning")]
    lines = [Content.assemble(*parts)] if parts else []
    lines.append(Content.assemble(*keys))
    return Content("\n").join(lines)


class Controls(Widget):
    """Shows a ControlState; keys are bound on the screen that owns the scene.

    Animation changes only the frame counter, so the layout is redone only
    when the set of parameters (and so the height) changes.
    """

    DEFAULT_CSS = """
    Controls { height: auto; padding: 0 1; background: $boost; }
    """
    state: reactive[ControlState] = reactive(ControlState)

    def render(self) -> Content:
        return describe(self.state)

    def watch_state(self, old: ControlState, new: ControlState) -> None:
        # Relayout only when the text may wrap differently: new parameters, the
        # "computing…" note coming or going, or a different length.
        relayout = (old.params != new.params or old.busy != new.busy
                    or len(describe(old).plain) != len(describe(new).plain))
        self.refresh(layout=relayout)
