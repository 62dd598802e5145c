"""The `tutor` command. Heavy imports (Textual, NumPy) happen only on the paths that need them.

Exit codes: 0 done, 1 the command could not do its job (a broken lesson, an
unwritable file, a busy port, a reset not confirmed), 2 the command line is
wrong (unknown lesson, scene or option), 130 interrupted. Errors are one line
on stderr.
"""
from __future__ import annotations

import os
import sys

# One BLAS thread: scenes run small matrices in a worker thread, and on a
# 2-core machine OpenBLAS's own threads made them 20-100x slower under load.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argparse import Namespace

SUBCOMMANDS = ("lessons", "quiz", "stats", "show", "check", "export", "serve", "reset")
OK, FAILED, USAGE, INTERRUPTED = 0, 1, 2, 130


def _fail(message: str, code: int = FAILED) -> int:
    print(f"tutor: {message}", file=sys.stderr)
    return code


def _busy(message: str):
    """A spinner on stderr while something slow runs, only when stderr is a terminal."""
    from rich.console import Console

    console = Console(stderr=True)
    return console.status(message) if console.is_terminal else nullcontext()


# -- the course and the store ------------------------------------------------------------
def _course():
    """The shipped course, from the parsed copy of the last start when the lessons are unchanged."""
    from tutor.course.cache import load_course_cached
    from tutor.paths import cache_dir, lessons_dir

    return load_course_cached([lessons_dir()], cache_dir() / "course.json")


def _open_store():
    from tutor.paths import store_path
    from tutor.store import Store

    store = Store.open(store_path())
    if store.notice:
        print(f"tutor: {store.notice}", file=sys.stderr)
    return store


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
    from tutor.paths import lessons_dir
    from tutor.visible import visible

    files, notes = find_lesson_files(paths or [lessons_dir()])
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
            return _fail(_unknown_lesson(course, key, commands=quiz is None), USAGE)
    from tutor.app import TutorApp  # Textual: only from here on
    from tutor.paths import store_path
    from tutor.store import Store

    store = Store.open(store_path())  # the app shows the store's notice itself
    try:
        if quiz is None:
            TutorApp(course, store, start=start).run()
        else:
            _save_quiz_settings(store, quiz)
            TutorApp(course, store, quiz={"lesson": start, "limit": quiz.limit}).run()
    finally:
        store.close()
    return OK


def _save_quiz_settings(store, args: Namespace) -> None:
    from dataclasses import replace

    from tutor.quiz.settings import QuizSettings

    changes = {k: v for k, v in (("new_per_day", args.new_per_day), ("retention", args.retention))
               if v is not None}
    if changes:
        replace(QuizSettings.load(store), **changes).save(store)


def cmd_lessons() -> int:
    from rich.console import Console

    from tutor.quiz.days import next_day_start, utc_now
    from tutor.quiz.queue import card_lessons

    course, _ = _course()
    store = _open_store()
    try:
        due = store.due_counts(card_lessons(course), next_day_start(utc_now()))
        table = lessons_table(course, store.all_progress(), due)
    finally:
        store.close()
    Console(highlight=False).print(table)
    return OK


def lessons_table(course, progress: dict, due: dict[str, int]):
    """A Rich table: every lesson, its length, the learner's progress and its cards due today."""
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", padding=(0, 1), pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("lesson", ratio=1)
    table.add_column("min", justify="right")
    table.add_column("progress")
    table.add_column("due", justify="right")
    for lesson in course.lessons:
        p = progress.get(lesson.id)
        state = Text("not started", style="dim") if p is None else \
            Text(p.describe(), style="green" if p.done else "yellow")
        n_due = due.get(lesson.id, 0)
        table.add_row(str(lesson.order), Text(lesson.id), Text(lesson.title), str(lesson.minutes), state, Text(str(n_due), style="bold cyan") if n_due else "")
    for broken in course.broken:
        table.add_row("✗", "", Text(broken.title or broken.file, style="strike dim"), "",
                      Text(f"unavailable: {broken.file} {broken.reason}", style="red"), "")
    done = sum(1 for lesson in course.lessons if (p := progress.get(lesson.id)) and p.done)
    total_due = sum(due.values())
    table.caption = Text(f"{done} of {len(course.lessons)} lessons done · {total_due} card"
                         f"{'s' if total_due != 1 else ''} due today · tutor LESSON opens one", style="dim")
    return table


def cmd_stats() -> int:
    from rich.console import Console

    from tutor import stats
    from tutor.quiz.days import utc_now

    course, _ = _course()
    store = _open_store()
    try:
        Console(highlight=False).print(stats.render(stats.compute(course, store, utc_now())))
    finally:
        store.close()
    return OK


def cmd_export_anki(path: Path) -> int:
    course, problems = _course()
    for problem in problems:
        print(f"tutor: skipped, the lesson is broken: {problem}", file=sys.stderr)
    try:
        with _busy(f"Writing {len(course.cards())} cards to {path}…"):
            from tutor.anki import export

            count, warnings = export(course, path)
    except OSError as exc:
        return _fail(f"cannot write {path}: {exc.strerror or exc}")
    for warning in warnings:
        print(f"tutor: {warning}", file=sys.stderr)
    print(f"Wrote {count} cards to {path} (Anki: File › Import; re-importing updates the notes).")
    return OK


def cmd_serve(host: str, port: int, public_url: str | None) -> int:
    try:
        from tutor import serve
    except ModuleNotFoundError as exc:
        return _fail(f"tutor serve needs the {exc.name} package (pip install textual-serve)")
    try:
        serve.serve(host, port, public_url=public_url)
    except ModuleNotFoundError as exc:
        return _fail(f"tutor serve needs the {exc.name} package (pip install textual-serve)")
    except OSError as exc:  # the port is taken, the address is not this machine's, …
        return _fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}")
    return OK


def cmd_reset(lesson_key: str | None, cards: bool, yes: bool) -> int:
    course, _ = _course()
    lesson = None
    if lesson_key is not None:
        lesson = course.find(lesson_key)
        if lesson is None:
            return _fail(_unknown_lesson(course, lesson_key), USAGE)
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
        if sys.stdin is None or not sys.stdin.isatty():  # None: stdin closed
            return _fail("reset asks for confirmation: run it in a terminal, or add --yes")
        print("\n".join(question), file=sys.stderr)
        print("Reset? [y/N] ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline()
        if answer.strip().lower() not in ("y", "yes"):
            return _fail("nothing was reset")
    store = _open_store()
    try:
        if store.path is None:
            return _fail("the progress file cannot be opened, so nothing was reset")
        before = store.all_progress()
        store.reset(lesson.id if lesson else None)
        forgot = store.forget_cards(card_ids) if cards else 0
    finally:
        store.close()
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
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return INTERRUPTED


def _dispatch(argv: list[str]) -> int:
    if not argv:
        return cmd_app(None)   # the common start: no parser to build (a few ms of the first paint)
    if not argv[0].startswith("-") and argv[0] not in SUBCOMMANDS:
        if len(argv) > 1:
            return _fail("open one lesson at a time: tutor LESSON (tutor --help lists the commands)", USAGE)
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
        return cmd_export_anki(args.file)
    if args.command == "serve":
        return cmd_serve(args.host, args.port, args.public_url)
    if args.command == "reset":
        return cmd_reset(args.lesson, args.cards, args.yes)
    return cmd_app(None)


if __name__ == "__main__":
    sys.exit(main())
