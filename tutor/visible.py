"""Learner text made safe to draw: control characters never reach the terminal.

Textual's Content strips only a few control characters; an ESC, NUL, DEL or
C1 byte typed or pasted by a learner would otherwise go out raw (an escape
sequence injection). They are shown as visible symbols instead.
"""
from __future__ import annotations

import unicodedata


def _symbol(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)      # ␀ … ␟, e.g. ␛ for ESC, ␉ for tab
    if code == 0x7F:
        return "␡"
    return f"\\x{code:02x}"            # C1 controls have no picture


def visible(text: str) -> str:
    """The text with every control character (category Cc) replaced by a symbol."""
    if not any(unicodedata.category(ch) == "Cc" for ch in text):
        return text
    return "".join(_symbol(ch) if unicodedata.category(ch) == "Cc" else ch for ch in text)


def without_controls(text: str) -> str:
    """The text with control characters removed (for what a learner types)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")
