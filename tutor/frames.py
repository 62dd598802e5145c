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


@dataclass(frozen=True)
class Bars:
    """One vertical bar per item (e.g. a gradient norm per time step).

    inf/NaN values are overflow: drawn as a full warning bar marked "!".
    With log=True the axis is log10 and vmin/vmax must be positive.
    """
    title: str
    labels: tuple[str, ...]
    values: Any                      # 1-D float ndarray
    vmin: float
    vmax: float
    log: bool = False
    unit: str = ""
    fmt: str = "{:.3g}"
    highlight: int | None = None     # the bar read out under the chart
    height: int = 8                  # rows


@dataclass(frozen=True)
class Series:
    label: str
    x: Any                           # 1-D arrays of equal length
    y: Any
    points: bool = False             # markers only, no connecting line


@dataclass(frozen=True)
class Chart:
    """Line chart of one or more series, drawn with braille dots."""
    title: str
    series: tuple[Series, ...]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    x_label: str = ""
    y_label: str = ""
    log_y: bool = False
    height: int = 8                  # rows


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    highlight_row: int | None = None


@dataclass(frozen=True)
class Lines:
    """Styled text: each line a tuple of (text, role) spans.

    Roles: "" plain, "dim", "bold", "good", "bad", "accent", "warn".
    """
    title: str
    lines: tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True)
class Progress:
    label: str
    done: int
    total: int


@dataclass(frozen=True)
class Row:
    """Panels shown side by side (e.g. an RNN and an LSTM, or attention heads)."""
    panels: tuple[Any, ...]
