"""The `tutor` command. Heavy imports (Textual, NumPy) happen only on the paths that need them."""
from __future__ import annotations

import argparse
import os
import sys

# One BLAS thread: scenes run small matrices in a worker thread, and on a
# 2-core machine OpenBLAS's own threads made them 20-100x slower under load.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
from pathlib import Path

from tutor import __version__

SUBCOMMANDS = ("check", "show", "quiz", "stats", "export")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor", description="Learn how sequence models grew from RNNs into Transformers, "
        "by running them.")
    parser.add_argument("--version", action="version", version=f"tutor {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = sub.add_parser("check", help="validate lesson files (all shipped lessons by default)",
                           description="Validate lesson files; problems print as file:line: message.")
    check.add_argument("paths", nargs="*", type=Path, help="lesson files or directories")
    sub.add_parser("show", help="print a scene's frame without the TUI (tutor show --list)", add_help=False)
    quiz = sub.add_parser("quiz", help="review the cards due, then new ones",
                          description="Open the quiz: cards due today first, then new cards from finished "
                          "lessons up to the daily limit.")
    quiz.add_argument("--lesson", metavar="ID", help="only this lesson's cards (id or number); "
                      "includes its new cards even if the lesson is not finished")
    quiz.add_argument("--limit", metavar="N", type=_count(1), help="at most N cards in this session")
    quiz.add_argument("--new-per-day", metavar="N", type=_setting("parse_new_per_day"),
                      help="set how many new cards a day may start (saved; default 20)")
    quiz.add_argument("--retention", metavar="R", type=_setting("parse_retention"),
                      help="set the desired retention, 0.7 to 0.99 (saved; default 0.9)")
    sub.add_parser("stats", help="print reviews, retention and due cards for the next 14 days",
                   description="Print review statistics from the review log, without the TUI.")
    export = sub.add_parser("export", help="export the course's cards (tutor export anki FILE.apkg)",
                            description="Export the course's cards to another program.")
    formats = export.add_subparsers(dest="format", metavar="FORMAT", required=True)
    anki = formats.add_parser("anki", help="write an Anki deck; re-importing updates it",
                              description="Write every card as an Anki deck (.apkg). Notes keep stable "
                              "ids, so importing a newer export updates them instead of duplicating.")
    anki.add_argument("file", type=Path, metavar="FILE.apkg", help="where to write the deck")
    return parser


def _count(least: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, got {value}")
        return value
    return parse


def _setting(name: str):
    def parse(text: str):
        from tutor.quiz import settings

        try:
            return getattr(settings, name)(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    return parse


def cmd_check(paths: list[Path]) -> int:
    from tutor.course import load_course
    from tutor.paths import lessons_dir

    targets = paths or [lessons_dir()]
    missing = [p for p in targets if not p.exists()]
    for path in missing:
        print(f"{path}: no such file or directory", file=sys.stderr)
    course, problems = load_course([p for p in targets if p.exists()])
    for problem in problems:
        print(problem, file=sys.stderr)
    n = len(course.lessons)
    if problems or missing:
        print(f"{len(problems) + len(missing)} problem(s); {n} lesson(s) fine", file=sys.stderr)
        return 1
    cards = sum(len(lesson.cards) for lesson in course.lessons)
    print(f"{n} lesson(s), {cards} card(s): all fine")
    return 0


def cmd_app(lesson_key: str | None, quiz: argparse.Namespace | None = None) -> int:
    from tutor.app import TutorApp
    from tutor.course import load_course
    from tutor.paths import lessons_dir, store_path
    from tutor.store import Store

    course, _ = load_course([lessons_dir()])
    start = None
    key = quiz.lesson if quiz is not None else lesson_key
    if key is not None:
        start = course.find(key)
        if start is None:
            known = ", ".join(f"{l.order}/{l.id}" for l in course.lessons)
            print(f"tutor: no lesson {key!r} (lessons: {known})", file=sys.stderr)
            return 2
    store = Store.open(store_path())
    try:
        if quiz is None:
            TutorApp(course, store, start=start).run()
        else:
            _save_quiz_settings(store, quiz)
            TutorApp(course, store, quiz={"lesson": start, "limit": quiz.limit}).run()
    finally:
        store.close()
    return 0


def _save_quiz_settings(store, args: argparse.Namespace) -> None:
    from dataclasses import replace

    from tutor.quiz.settings import QuizSettings

    changes = {k: v for k, v in (("new_per_day", args.new_per_day), ("retention", args.retention))
               if v is not None}
    if changes:
        replace(QuizSettings.load(store), **changes).save(store)


def cmd_stats() -> int:
    from rich.console import Console

    from tutor import stats
    from tutor.course import load_course
    from tutor.paths import lessons_dir, store_path
    from tutor.quiz.days import utc_now
    from tutor.store import Store

    course, _ = load_course([lessons_dir()])
    store = Store.open(store_path())
    try:
        if store.notice:
            print(f"tutor: {store.notice}", file=sys.stderr)
        Console(highlight=False).print(stats.render(stats.compute(course, store, utc_now())))
    finally:
        store.close()
    return 0


def cmd_export_anki(path: Path) -> int:
    from tutor.anki import export
    from tutor.course import load_course
    from tutor.paths import lessons_dir

    course, problems = load_course([lessons_dir()])
    for problem in problems:
        print(f"tutor: skipped, the lesson is broken: {problem}", file=sys.stderr)
    try:
        count, warnings = export(course, path)
    except OSError as exc:
        print(f"tutor: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"tutor: {warning}", file=sys.stderr)
    print(f"Wrote {count} cards to {path} (Anki: File › Import; re-importing updates the notes).")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and not argv[0].startswith("-") and argv[0] not in SUBCOMMANDS:
        if len(argv) > 1:
            print("tutor: open one lesson at a time: tutor LESSON", file=sys.stderr)
            return 2
        return cmd_app(argv[0])
    if argv and argv[0] == "show":  # scene parameters are free-form --name value pairs
        from tutor.show import run

        return run(argv[1:])
    args = _parser().parse_args(argv)
    if args.command == "check":
        return cmd_check(args.paths)
    if args.command == "quiz":
        return cmd_app(None, quiz=args)
    if args.command == "stats":
        return cmd_stats()
    if args.command == "export":
        return cmd_export_anki(args.file)
    return cmd_app(None)


if __name__ == "__main__":
    sys.exit(main())
