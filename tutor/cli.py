"""The `tutor` command. Heavy imports (Textual, NumPy) happen only on the paths that need them."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutor import __version__

SUBCOMMANDS = ("check", "show")


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
    return parser


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


def cmd_app(lesson_key: str | None) -> int:
    from tutor.app import TutorApp
    from tutor.course import load_course
    from tutor.paths import lessons_dir, store_path
    from tutor.store import Store

    course, _ = load_course([lessons_dir()])
    start = None
    if lesson_key is not None:
        start = course.find(lesson_key)
        if start is None:
            known = ", ".join(f"{l.order}/{l.id}" for l in course.lessons)
            print(f"tutor: no lesson {lesson_key!r} (lessons: {known})", file=sys.stderr)
            return 2
    store = Store.open(store_path())
    try:
        TutorApp(course, store, start=start).run()
    finally:
        store.close()
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
    return cmd_app(None)


if __name__ == "__main__":
    sys.exit(main())
