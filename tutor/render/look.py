"""How to draw, independent of what: theme, color support, and semantic styles."""
from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style

# A color-blind-safe cycle (Okabe–Ito) for series in charts.
SERIES_COLORS = ("#56b4e9", "#e69f00", "#009e73", "#cc79a7", "#f0e442", "#0072b2", "#d55e00")

_ROLES_COLOR = {
    "": Style(), "dim": Style(dim=True), "bold": Style(bold=True),
    "good": Style(color="#009e73", bold=True), "bad": Style(color="#d55e00", bold=True),
    "accent": Style(color="#e69f00", bold=True), "warn": Style(color="#f0e442", bold=True, reverse=True),
}
_ROLES_MONO = {
    "": Style(), "dim": Style(dim=True), "bold": Style(bold=True),
    "good": Style(bold=True), "bad": Style(strike=True), "accent": Style(underline=True),
    "warn": Style(reverse=True, bold=True),
}


@dataclass(frozen=True)
class Look:
    dark: bool = True
    mono: bool = False        # NO_COLOR: shading characters instead of colors
    show_values: bool = True  # numbers inside grid cells when they fit
    printed: bool = False     # printed, where nothing scrolls: every line within the width
    rows: int = 24            # the terminal's height: charts grow on a tall one

    def role(self, name: str) -> Style:
        return (_ROLES_MONO if self.mono else _ROLES_COLOR).get(name, Style())

    def series(self, index: int) -> Style:
        if self.mono:
            return Style(bold=index == 0)
        return Style(color=SERIES_COLORS[index % len(SERIES_COLORS)])
