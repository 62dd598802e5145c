"""The `tutor` command. Heavy imports (Textual, NumPy) happen only on the paths that need them.

Exit codes are in tutor.exit_codes. Errors are one line on stderr.
`--lessons DIR` (any number of times, before or after the command) and the
TUTOR_LESSONS variable (directories joined by the path separator) add a
teacher's lesson files to the shipped course; the option sets the variable,
so `tutor serve` passes it on to every session.
"""
from __future__ import annotations

import os
import sys

# One BLAS thread: scenes run small matrices in a worker thread, and on a
# 2-core machine OpenBLAS's own threads made them 20-100x slower under load.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.cli_io import busy, confirm, fail, tolerant_output
from tutor.exit_codes import FAILED, INTERRUPTED, OK, USAGE

if TYPE_CHECKING:
    from argparse import Namespace

SUBCOMMANDS = ("lessons", "quiz", "stats", "show", "check", "export", "serve", "reset")


# -- the course and the store ------------------------------------------------------------
def _course():
    """The shipped course and any --lessons directories, from the parsed copy of the last
    start when the lessons are unchanged."""
    from tutor.course.cache import load_course_cached
    from tutor.paths import cache_dir, course_dirs

    return load_course_cached(course_dirs(), cache_dir() / "course.json")


def _open_store(read_only: bool = False):
    """The store, its notice printed; a read-only command never sets a damaged file aside."""
    from tutor.paths import store_path
    from tutor.store import Store

    store = Store.open(store_path(), set_aside_damage=not read_only)
    if store.notice:
        print(f"tutor: {store.notice}", file=sys.stderr)
    return store


def _close_store(store) -> None:
    """Close it, saying once which rows could not be read (tutor.store.records)."""
    skipped = store.skipped_notice()
    store.close()
    if skipped:
        print(f"tutor: {skipped}", file=sys.stderr)


def _unknown_lesson(course, key: str, commands: bool = False) -> str:
    """One line: no such lesson, a guess if there is a close one, and where the list is."""
    import difflib

    names = [lesson.id for lesson in course.lessons] + (list(SUBCOMMANDS) if commands else [])
    close = difflib.get_close_matches(key, names, n=1)
    what = "no lesson or command" if commands else "no lesson"
    guess = f"; did you mean {close[0]!r}?" if close else ""
    return f"{what} {key!r}{guess} (tutor lessons lists them)"


# -- commands ----------------------------------------------------------------------------
def cmd_check(paths: list[Path], strict: bool = False) -> int:
    """Parse lesson files and apply the house rules (tutor/course/rules.py): parse problems and
    control characters are errors; house-rule breaches are warnings, errors with --strict."""
    from tutor.course.loader import find_lesson_files, load_files
    from tutor.course.rules import course_rules, house_rules
    from tutor.paths import course_dirs
    from tutor.visible import visible

    files, notes = find_lesson_files(paths or course_dirs())
    for note in notes:
        print(visible(note), file=sys.stderr)
    course, problems = load_files(files)
    rules = [p for lesson in course.lessons for p in house_rules(lesson)] + course_rules(course.lessons)
    for problem in sorted(problems + rules, key=lambda p: (str(p.path), p.line)):
        if problem in rules and not strict:
            print(visible(f"{problem.path}:{problem.line}: warning: {problem.message}"), file=sys.stderr)
        else:
            print(problem, file=sys.stderr)
    if not files:
        print("no lesson files checked", file=sys.stderr)
        return FAILED
    n = len(course.lessons)
    errors = len(problems) + len(notes) + (len(rules) if strict else 0)
    if errors:
        fine = n - len({p.path for p in rules}) if strict else n
        print(f"{errors} problem(s); {fine} lesson(s) fine", file=sys.stderr)
        return FAILED
    cards = sum(len(lesson.cards) for lesson in course.lessons)
    warned = f"; {len(rules)} house-rule warning(s) (--strict makes them errors)" if rules else ""
    print(f"{n} lesson(s), {cards} card(s): all fine{warned}")
    return OK


def cmd_app(lesson_key: str | None, quiz: Namespace | None = None) -> int:
    from tutor import startup

    startup.pause()   # until the first paint (TutorApp.on_mount); see tutor/startup.py
    try:
        return _run_app(lesson_key, quiz)
    finally:
        startup.end()


def _run_app(lesson_key: str | None, quiz: Namespace | None) -> int:
    course, _ = _course()
    start = None
    key = quiz.lesson if quiz is not None else lesson_key
    if key is not None:
        start = course.find(key)
        if start is None:
            return fail(_unknown_lesson(course, key, commands=quiz is None), USAGE)
    from tutor import launch

    problem = launch.terminal_problem()
    if problem:
        return fail(problem)
    from tutor.app import TutorApp  # Textual: only from here on
    from tutor.paths import store_path
    from tutor.store import Store

    store = Store.open(store_path())  # the app shows the store's notice itself
    try:
        if quiz is None:
            return launch.run(TutorApp(course, store, start=start))
        if not _save_quiz_settings(store, quiz):
            return FAILED
        return launch.run(TutorApp(course, store, quiz={"lesson": start, "limit": quiz.limit}))
    finally:
        store.close()


def _save_quiz_settings(store, args: Namespace) -> bool:
    import sqlite3
    from dataclasses import replace

    from tutor.quiz.settings import QuizSettings

    changes = {k: v for k, v in (("new_per_day", args.new_per_day), ("retention", args.retention))
               if v is not None}
    if changes:
        try:
            replace(QuizSettings.load(store), **changes).save(store)
        except sqlite3.Error as exc:
            fail(f"the quiz settings cannot be saved: {exc}")
            return False
    return True


def cmd_lessons() -> int:
    from rich.console import Console

    from tutor.lessons_table import lessons_table
    from tutor.quiz.days import next_day_start, utc_now
    from tutor.quiz.queue import card_lessons

    course, _ = _course()
    store = _open_store(read_only=True)
    try:
        due = store.due_counts(card_lessons(course), next_day_start(utc_now()))
        table = lessons_table(course, store.all_progress(), due)
    finally:
        _close_store(store)
    Console(highlight=False).print(table)
    return OK


def cmd_stats() -> int:
    from rich.console import Console

    from tutor import stats
    from tutor.quiz.days import utc_now

    course, _ = _course()
    store = _open_store(read_only=True)
    try:
        Console(highlight=False).print(stats.render(stats.compute(course, store, utc_now())))
    finally:
        _close_store(store)
    return OK


def cmd_export_anki(path: Path, force: bool) -> int:
    import sqlite3

    if path.is_dir():
        return fail(f"cannot write {path}: it is a directory")
    if (path.exists() or path.is_symlink()) and not force:
        target = f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
        answer = confirm(f"{path}{target} exists. Replace it? [y/N] ")
        if answer is None:
            return fail(f"{path}{target} exists: add --force to replace it")
        if not answer:
            return fail("nothing was written")
    course, problems = _course()
    for problem in problems:
        print(f"tutor: skipped, the lesson is broken: {problem}", file=sys.stderr)
    try:
        with busy(f"Writing {len(course.cards())} cards to {path}…"):
            from tutor.anki import export

            count, warnings = export(course, path)
    except OSError as exc:
        return fail(f"cannot write {path}: {exc.strerror or exc}")
    except sqlite3.Error as exc:   # the deck's database, built in a temporary directory
        return fail(f"cannot write {path}: {exc}")
    for warning in warnings:
        print(f"tutor: {warning}", file=sys.stderr)
    print(f"Wrote {count} cards to {path} (Anki: File › Import; re-importing updates the notes).")
    return OK


def cmd_serve(args: Namespace) -> int:
    try:
        from tutor import serve
    except ModuleNotFoundError as exc:
        return fail(f"tutor serve needs the {exc.name} package (pip install textual-serve)")
    options = serve.Options.from_args(args)
    try:
        from tutor import serve_web

        serve_web.serve(options)
    except ModuleNotFoundError as exc:
        return fail(f"tutor serve needs the {exc.name} package (pip install textual-serve)")
    except OSError as exc:  # the port is taken, the address is not this machine's, …
        return fail(f"cannot serve on {serve.host_port(options.host, options.port)}: {exc.strerror or exc}")
    return OK


def cmd_reset(lesson_key: str | None, cards: bool, yes: bool) -> int:
    course, _ = _course()
    lesson = None
    if lesson_key is not None:
        lesson = course.find(lesson_key)
        if lesson is None:
            return fail(_unknown_lesson(course, lesson_key), USAGE)
    what = f"your place in lesson {lesson.order} ({lesson.title})" if lesson else \
        f"your place in all {len(course.lessons)} lessons"
    card_ids = [c.id for c in lesson.cards] if lesson else None
    n_cards = len(card_ids) if card_ids is not None else len(course.cards())
    question = [f"This forgets {what}: which steps you have seen and which lessons are done."]
    if cards:
        question.append(f"It also returns {'its' if lesson else 'all'} {n_cards} cards to new: their "
                        "schedules are forgotten. The review log is kept (tutor stats still counts it).")
    else:
        question.append("Card schedules and the review log are kept (add --cards to reset the cards too).")
    if not yes:
        answer = confirm("\n".join(question) + "\nReset? [y/N] ")
        if answer is None:
            return fail("reset asks for confirmation: run it in a terminal, or add --yes")
        if not answer:
            return fail("nothing was reset")
    import sqlite3

    store = _open_store()
    try:
        if store.path is None:
            return fail("the progress file cannot be opened, so nothing was reset")
        before = store.all_progress()
        store.reset(lesson.id if lesson else None)
        forgot = store.forget_cards(card_ids) if cards else 0
    except sqlite3.Error as exc:
        return fail(f"nothing was reset: {exc}")
    finally:
        _close_store(store)
    cleared = 1 if lesson and lesson.id in before else (0 if lesson else len(before))
    message = f"Reset: {cleared} lesson{'s' if cleared != 1 else ''} of progress cleared"
    if cards:
        message += f", {forgot} card{'s' if forgot != 1 else ''} back to new"
    print(message + ".")
    return OK


def cmd_show(args: list[str]) -> int:
    from tutor.show import run  # scene parameters are free-form --name value pairs

    return run(args)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    tolerant_output()
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return INTERRUPTED


def _dispatch(argv: list[str]) -> int:
    from tutor.paths import take_lessons_options

    argv, problem = take_lessons_options(argv)
    if problem:
        return fail(problem, USAGE)
    if not argv:
        return cmd_app(None)   # the common start: no parser to build (a few ms of the first paint)
    if not argv[0].startswith("-") and argv[0] not in SUBCOMMANDS:
        if len(argv) > 1:
            return fail("open one lesson at a time: tutor LESSON (tutor --help lists the commands)", USAGE)
        return cmd_app(argv[0])
    if argv and argv[0] == "show":
        return cmd_show(argv[1:])
    from tutor.cli_parser import build_parser   # argparse: not on the path of a bare `tutor`

    args = build_parser().parse_args(argv)
    if args.command == "lessons":
        return cmd_lessons()
    if args.command == "check":
        return cmd_check(args.paths, args.strict)
    if args.command == "quiz":
        return cmd_app(None, quiz=args)
    if args.command == "stats":
        return cmd_stats()
    if args.command == "export":
        return cmd_export_anki(args.file, args.force)
    if args.command == "serve":
        return cmd_serve(args)
    if args.command == "reset":
        return cmd_reset(args.lesson, args.cards, args.yes)
    return cmd_app(None)


if __name__ == "__main__":
    sys.exit(main())
