"""DrawnOnce: a Rich renderable drawn once per width, for a Static to measure and paint.

For renderables whose drawing depends on the width alone, as Markdown's does.

A Static measures its renderable's height by drawing it (Textual's RichVisual),
then draws it again to paint it, and does both again whenever the layout
moves it: a step's Markdown was drawn two to four times per step switch and
on each restore of a maximised scene (2-3 ms each). Wrapped in DrawnOnce it is
drawn once per width; the last KEPT drawings are kept (a lesson step's text:
a few hundred segments each).
"""
from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

KEPT = 2   # the widths of the text pane beside a scene and alone


class DrawnOnce:
    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self.drawn: dict[tuple, list[Segment]] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Not the height: Textual measures with none and paints with the height it measured,
        # and a Markdown (what this wraps) draws the same either way.
        key = (options.max_width, options.min_width, options.justify, options.overflow,
               options.no_wrap, options.highlight, options.markup, console.color_system)
        segments = self.drawn.get(key)
        if segments is None:
            segments = list(console.render(self.renderable, options))
            self.drawn[key] = segments
            while len(self.drawn) > KEPT:
                self.drawn.pop(next(iter(self.drawn)))
        return iter(segments)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)

    def __getattr__(self, name: str):
        """Otherwise it reads as the renderable it draws (a Markdown's text, its code theme)."""
        if name == "renderable":
            raise AttributeError(name)
        return getattr(self.renderable, name)
