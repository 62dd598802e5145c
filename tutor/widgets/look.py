"""The drawing Look for a widget: the app's theme and NO_COLOR."""
from __future__ import annotations

import os

from textual.widget import Widget

from tutor.render.look import Look


def current_look(widget: Widget) -> Look:
    attached = widget.is_attached
    dark = widget.app.current_theme.dark if attached else True
    rows = widget.app.size.height if attached else 24
    return Look(dark=dark, mono=bool(os.environ.get("NO_COLOR")), rows=rows)
