"""Frames: immutable plain data that say what a scene draws at one moment.

Scenes build them from engine runs; widgets draw them. No Textual here.
Arrays in frames are made read-only so nothing downstream can change them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def frozen(array):
    """A read-only view of an array, for storing in a frame."""
    view = array.view()
    view.flags.writeable = False
    return view


@dataclass(frozen=True)
class Grid:
    """A colored matrix: values[r, c]; NaN marks a cell not yet computed."""
    title: str
    values: Any                      # 2-D float ndarray (rows, cols)
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    vmin: float
    vmax: float
    palette: str = "diverging"       # "diverging" (signed) or "sequential" (weights)
    row_title: str = ""
    col_title: str = ""
    mark_col: int | None = None      # the column being computed now
    mark_row: int | None = None
    fmt: str = "{:+.2f}"             # how a cell's exact value is read out

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.values.shape)


@dataclass(frozen=True)
class Frame:
    """Everything on screen for one animation step of a scene."""
    panels: tuple[Any, ...]          # Grid, and the other panel kinds
    caption: str = ""
    step: int = 0                    # index within the run
    final: bool = True               # False while a streaming scene is still producing
