"""The command line's grammar: subcommands, options and their help.

Built only when `tutor` is given arguments; a bare `tutor` (the common start)
goes straight to the course map without importing argparse.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from tutor import __version__
from tutor.cli_io import shorten_words
from tutor.exit_codes import USAGE

USAGE_LINE = "tutor [--lessons DIR] [LESSON] | tutor COMMAND [--help] | tutor --version"
DESCRIPTION = """\
Learn how sequence models grew from recurrent networks into Transformers,
by running the real models in your terminal.

  tutor            the course map
  tutor LESSON     open a lesson by id or number (tutor rnn, tutor 2)"""
EPILOG = """\
Keys: ? in the app lists the keys of the current screen; ctrl+p finds
lessons, steps, scenes and actions; t switches dark/light; q quits.
Progress is kept in one SQLite file (TUTOR_HOME sets its directory)."""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: `tutor quiz: argument --limit: … (tutor quiz --help)`."""

    def error(self, message: str):
        self.exit(USAGE, f"{self.prog}: {shorten_words(message)} (see {self.prog} --help)\n")



def build_parser() -> Parser:
    parser = Parser(prog="tutor", usage=USAGE_LINE, description=DESCRIPTION, epilog=EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    _lessons_option(parser)
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND", prog="tutor")

    sub.add_parser("lessons", help="list the lessons with your progress and the cards due",
                   description="Print every lesson with its length, your progress and its cards due today.")

    quiz = sub.add_parser("quiz", help="review the cards due, then new ones",
                          description="Open the quiz: cards due today first, then new cards from finished "
                          "lessons up to the daily limit.")
    quiz.add_argument("--lesson", metavar="ID", help="only this lesson's cards (id or number); "
                      "includes its new cards even if the lesson is not finished")
    quiz.add_argument("--limit", metavar="N", type=_number(1), help="at most N cards in this session")
    quiz.add_argument("--new-per-day", metavar="N", type=_setting("parse_new_per_day"),
                      help="set how many new cards a day may start (saved; default 20)")
    quiz.add_argument("--retention", metavar="R", type=_setting("parse_retention"),
                      help="set the desired retention, 0.7 to 0.99 (saved; default 0.9)")

    sub.add_parser("stats", help="print reviews, retention and due cards for the next 14 days",
                   description="Print review statistics from the review log, without the TUI.")

    sub.add_parser("show", help="print a scene's frame without the TUI (tutor show --list)", add_help=False)

    check = sub.add_parser("check", help="validate lesson files (all shipped lessons by default)",
                           description="Validate lesson files; problems print as file:line: message "
                           "and the exit code is 1. House-rule breaches (5-12 steps, at most 130 words "
                           "a step, a recap, a prediction, 8 cards with a quarter exercises, a unique "
                           "order, each exercise generator in at most two lessons) are warnings, errors with --strict.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="lesson files or directories")
    check.add_argument("--strict", action="store_true", help="treat house-rule warnings as errors (exit 1)")

    export = sub.add_parser("export", help="export the course's cards (tutor export anki FILE.apkg)",
                            description="Export the course's cards to another program.")
    formats = export.add_subparsers(dest="format", metavar="FORMAT", required=True)
    anki = formats.add_parser("anki", help="write an Anki deck; re-importing updates it",
                              description="Write every card as an Anki deck (.apkg). Notes keep stable "
                              "ids, so importing a newer export updates them instead of duplicating.")
    anki.add_argument("file", type=Path, metavar="FILE.apkg", help="where to write the deck")
    anki.add_argument("--force", action="store_true",
                      help="replace FILE.apkg if it exists (in a terminal, tutor asks instead)")

    serve = sub.add_parser("serve", help="serve the tutor to web browsers (offline, one process per tab)",
                           description="Serve the tutor on http://HOST:PORT/ until Ctrl+C. Each browser "
                           "keeps its own progress (a cookie names it), unless TUTOR_HOME is set.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 for a classroom)")
    serve.add_argument("--port", type=_number(1, 65535), default=8000, help="port (default 8000)")
    serve.add_argument("--url", metavar="URL", dest="public_url", type=_url,
                       help="the address learners use, if not http://HOST:PORT (behind a proxy): "
                       "http(s)://host[:port][/path]")
    serve.add_argument("--max-sessions", metavar="N", type=_number(1, 10_000), default=None,
                       help="at most N browser tabs at once; more see a 'class is full' page "
                       "(default: what this machine's memory holds)")
    serve.add_argument("--forget-after", metavar="DAYS", type=_number(1, 3650), default=90,
                       dest="forget_after_days",
                       help="delete a visitor's progress DAYS days after their last visit (default 90)")
    _lessons_option(serve)

    reset = sub.add_parser("reset", help="forget lesson progress (asks first)",
                           description="Forget which steps you have seen and which lessons are done. "
                           "Card schedules are kept unless --cards; the review log is always kept.")
    reset.add_argument("--lesson", metavar="ID", help="only this lesson (id or number)")
    reset.add_argument("--cards", action="store_true",
                       help="also return the cards to new (their schedules are forgotten)")
    reset.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    return parser


def _lessons_option(parser) -> None:
    """Shown in --help; the option itself is taken from the command line before argparse
    (tutor.paths.take_lessons_options), so it works before or after any command."""
    parser.add_argument("--lessons", metavar="DIR", action="append",
                        help="add the lesson files in DIR to the course (also TUTOR_LESSONS); "
                        "they are checked like the shipped ones")


def _number(least: int, most: int | None = None):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < least or (most is not None and value > most):
            bounds = f"between {least} and {most}" if most is not None else f"at least {least}"
            raise argparse.ArgumentTypeError(f"must be {bounds}, got {value}")
        return value
    return parse


def _url(text: str) -> str:
    from tutor.serve import normalise_url

    try:
        return normalise_url(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _setting(name: str):
    def parse(text: str):
        from tutor.quiz import settings

        try:
            return getattr(settings, name)(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


