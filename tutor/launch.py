"""Running the TUI from the command line: a terminal first, the terminal restored, an honest exit status.

- Without a terminal (`tutor < /dev/null`, stdin closed, run from cron) the
  app would spin at full CPU or print a traceback: say so in one line, exit 1.
  `tutor serve` runs the app with Textual's web driver on pipes: no terminal needed.
- SIGTERM (and SIGHUP, the terminal closing) asks the app to exit, so the
  driver leaves the alternate screen and turns mouse tracking off, as on `q`,
  and the store is closed; the exit status is then 143 (129 for SIGHUP).
- After a crash Textual prints the traceback and sets return code 1; it is
  passed on (the command used to exit 0).
"""
from __future__ import annotations

import asyncio
import os
import signal
import sys

from tutor.exit_codes import OK, TERMINATED

STOP_SIGNALS = {signal.SIGTERM: TERMINATED, signal.SIGHUP: 128 + signal.SIGHUP}


def _is_terminal(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):   # a closed stream
        return False


def terminal_problem() -> str | None:
    """Why the TUI cannot run here, or None. Textual reads stdin and draws on stderr."""
    if os.environ.get("TEXTUAL_DRIVER"):   # a driver that is not a terminal's (tutor serve's web driver)
        return None
    if not _is_terminal(sys.__stdin__):
        return "tutor needs a terminal: its input is not one (tutor lessons, stats, show and check work without)"
    if not _is_terminal(sys.__stderr__):
        return "tutor needs a terminal: its output (stderr) is not one"
    return None


def run(app) -> int:
    """app.run() with SIGTERM and SIGHUP handled; the exit status the app ended with."""
    def on_stop_signal(signum, frame) -> None:
        code = STOP_SIGNALS[signum]
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:   # not running yet, or already stopped
            raise SystemExit(code) from None
        loop.call_soon_threadsafe(lambda: app.exit(return_code=code))

    previous = {sig: signal.signal(sig, on_stop_signal) for sig in STOP_SIGNALS}
    try:
        app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return OK if app.return_code is None else app.return_code
