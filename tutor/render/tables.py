"""Draw the text panels: Lines (styled spans), Table, and Progress."""
from __future__ import annotations

from rich.box import SIMPLE_HEAD
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.table import Table as RichTable
from rich.text import Text

from tutor.frames import Lines, Progress, Table

from .chart import wrap_words
from .look import Look


def render_lines(panel: Lines, width: int, look: Look) -> list[list[Segment]]:
    """The title wraps to the width; the lines are kept as the scene laid them out."""
    out = [[Segment(text, Style(bold=True))] for text in wrap_words(panel.title, max(width, 8))] if panel.title else []
    for spans in panel.lines:
        out.append([Segment(text, look.role(role)) for text, role in spans])
    return out


def render_table(panel: Table, width: int, look: Look) -> list[list[Segment]]:
    table = RichTable(title=Text(panel.title, style="bold"), box=SIMPLE_HEAD, title_justify="left",
                      expand=False, pad_edge=False)
    for name in panel.header:
        table.add_column(Text(name), overflow="fold")
    for i, row in enumerate(panel.rows):
        table.add_row(*(Text(cell) for cell in row), style=look.role("accent") if i == panel.highlight_row else None)
    console = Console(width=max(width, 20), color_system=None if look.mono else "truecolor",
                      force_terminal=True, legacy_windows=False)
    return console.render_lines(table, console.options.update_width(max(width, 20)), pad=False)


def render_progress(panel: Progress, width: int, look: Look) -> list[list[Segment]]:
    frac = panel.done / panel.total if panel.total else 1.0
    bar_w = max(min(width - len(panel.label) - 22, 40), 10)
    filled = round(frac * bar_w)
    return [[Segment(f"{panel.label}  ", Style(bold=True)),
             Segment("█" * filled, look.role("good") if not look.mono else Style()),
             Segment("░" * (bar_w - filled), Style(dim=True)),
             Segment(f" {frac:4.0%} ({panel.done}/{panel.total})")]]
