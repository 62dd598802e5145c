"""Help: every key of the screen it was opened from, with what it does."""
from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

# Textual's own bindings, described in the tutor's words.
DESCRIPTIONS = {"command_palette": "Find lessons, steps, scenes and actions"}
# Generic keys whose own words only repeat the key ("up Up"): said in the paragraph after the rows.
GENERIC_WORDS = {"cursor_up": "previous", "cursor_down": "next", "first": "first", "last": "last",
                 "page_up": "page up", "page_down": "page down"}
NUMBERED = re.compile(r"(.+?)\d+")
NUMBER_SUFFIX = re.compile(r"\s*\d+$")
FOOTNOTE = "ctrl+p finds any lesson, step or scene · esc closes this help"


def key_label(key: str) -> str:
    names = {"question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]",
             "plus": "+", "minus": "-", "equals_sign": "=", "space": "space", "escape": "esc",
             "comma": ",", "full_stop": "."}
    return names.get(key, key)


def help_lines(title: str, rows: list[tuple[str, str]], others: list[tuple[str, str]] = (),
               width: int | None = None) -> list[Content]:
    """A title, one line per binding of the screen and the app (keys in a bold
    column, then what they do), then the generic keys of Textual and of the
    focused widget in a short dim paragraph, so they do not drown the others.
    Given a width, nothing is longer: a description wraps under itself."""
    keys_w = max((len(keys) for keys, _ in rows), default=0)
    lines = [Content.styled(f"Keys: {title}", "bold"), Content("")]
    room = None if width is None else max(width - keys_w - 2, 12)
    for keys, description in rows:
        parts = textwrap.wrap(description, room, break_on_hyphens=False) if room else [description]
        for k, part in enumerate(parts or [""]):
            lines.append(Content.assemble(((keys if k == 0 else "").ljust(keys_w), "bold"), "  ", part))
    wrap = max(max((line.cell_length for line in lines), default=0), len(FOOTNOTE))
    if width is not None:
        wrap = min(wrap, width)
    if others:
        also = "Also: " + " · ".join(f"{keys} {description.lower()}" for keys, description in others)
        lines += [Content("")] + [Content.styled(line, "dim") for line in textwrap.wrap(
            also, wrap, break_on_hyphens=False, break_long_words=False)]
    footnote = textwrap.wrap(FOOTNOTE.replace(" · ", " ·\0"), wrap, break_on_hyphens=False)
    return lines + [Content("")] + [Content.styled(line.replace("\0", " "), "dim") for line in footnote]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: auto; max-width: 90%; height: auto; max-height: 90%;
        border: round $accent; padding: 0 1; background: $surface; }
    HelpScreen Static { width: auto; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close help", id="help.close")]

    def __init__(self, title: str, bindings: list[tuple[str, str]], others: list[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.title_text, self.bindings, self.others = title, bindings, list(others)

    def compose(self) -> ComposeResult:
        # border, padding and a scrollbar take 5 columns of the 90% the box may use
        lines = help_lines(self.title_text, self.bindings, self.others, int(self.app.size.width * 0.9) - 5)
        with VerticalScroll() as scroll:
            # an auto width does not see through the scroll container: size it to the text
            scroll.styles.width = max(line.cell_length for line in lines) + 5
            yield Static(Content("\n").join(lines))


Rows = list[tuple[str, str]]


def describe_bindings(active, declared: Iterable[BindingType] = ()) -> tuple[Rows, Rows]:
    """(keys, description) rows, keys merged per binding id: (the tutor's, the rest).

    The tutor's are `declared`, the screen's and app's own BINDINGS, in their
    order, every key shown even where a focused widget (a scrolling text) also
    uses it, then Textual's bindings the tutor describes in its own words (the
    palette). The rest are the other active keys: the generic ones of the
    focused widget and of Textual. Numbered bindings (`lesson.predict1` …
    `lesson.predict9`) make one row, `1…9`.
    """
    own: tuple[dict, dict] = ({}, {})      # name -> keys, name -> description
    others: tuple[dict, dict] = ({}, {})
    for binding in Binding.make_bindings(declared):
        _add(*own, binding.key, binding)
    covered = {key for keys in own[0].values() for key in keys}
    for key, entry in active.items():
        if key_label(key) not in covered:
            _add(*(own if entry.binding.action in DESCRIPTIONS else others), key, entry.binding)
    return tuple([(_keys(keys), descriptions[name]) for name, keys in rows.items()]
                 for rows, descriptions in (own, others))


def _add(rows: dict, descriptions: dict, key: str, binding: Binding) -> None:
    description = DESCRIPTIONS.get(binding.action) or GENERIC_WORDS.get(binding.action) or binding.description
    if not description:
        return
    name = binding.id or binding.action
    numbered = NUMBERED.fullmatch(name)
    if numbered and binding.id:
        name = numbered.group(1)
        description = NUMBER_SUFFIX.sub("", description) + " (by its number)"
    rows.setdefault(name, []).append(key_label(key))
    descriptions[name] = description


def _keys(keys: list[str]) -> str:
    keys = list(dict.fromkeys(keys))
    if len(keys) > 2 and all(k.isdigit() for k in keys):
        return f"{keys[0]}…{keys[-1]}"
    return "/".join(keys)
