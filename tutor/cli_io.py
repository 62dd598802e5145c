"""How the `tutor` command talks on its terminal: one-line errors, a spinner, a question, and
output that never fails on a character its encoding lacks."""
from __future__ import annotations

import os
import re
import sys
from contextlib import nullcontext

from tutor.exit_codes import FAILED


def fail(message: str, code: int = FAILED) -> int:
    print(f"tutor: {shorten_words(message)}", file=sys.stderr)
    return code


LONG_WORD = re.compile(r"\S{201,}")


def shorten_words(message: str) -> str:
    """A message stays one readable line: any word over 200 characters (a pasted
    310-digit number, say) is cut to its start and end, with its length."""
    return LONG_WORD.sub(lambda m: f"{m[0][:20]}…{m[0][-8:]} ({len(m[0])} characters)", message)


def busy(message: str):
    """A spinner on stderr while something slow runs, only when stderr is a terminal."""
    from rich.console import Console

    console = Console(stderr=True)
    return console.status(message) if console.is_terminal else nullcontext()


def confirm(question: str) -> bool | None:
    """Ask on the terminal; None when there is no terminal to ask on (stdin closed or redirected)."""
    try:
        interactive = sys.stdin is not None and sys.stdin.isatty()   # None: stdin closed
    except (ValueError, OSError):
        interactive = False
    if not interactive or os.environ.get("TEXTUAL_DRIVER"):
        return None
    print(question, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def tolerant_output() -> None:
    """Characters the output's encoding lacks (PYTHONIOENCODING=ascii, a C locale) print as '?',
    never as a UnicodeEncodeError; the TUI draws on stderr and degrades the same way."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and getattr(stream, "errors", None) == "strict":
            try:
                stream.reconfigure(errors="replace")
            except (AttributeError, ValueError, OSError):   # not a text file, or closed
                pass
