"""Load the course from lesson files, keeping broken lessons as data."""
from __future__ import annotations

import re
import stat
from collections.abc import Iterable
from pathlib import Path

from .model import BrokenLesson, Course, Lesson, Problem

MAX_LESSON_BYTES = 1_000_000        # a lesson is a few KB; larger files are refused unread


def _scene_lookup(ident: str):
    from tutor.scenes.registry import SCENES

    spec = SCENES.get(ident)
    return None if spec is None else {p.name: p for p in spec.params}


def _measure_lookup(ident: str):
    from tutor.scenes.measures import MEASURES

    return MEASURES.get(ident)


def _exercise_lookup(ident: str):
    from tutor.exercises import EXERCISES

    spec = EXERCISES.get(ident)
    return None if spec is None else {p.name: p for p in spec.params}


def _is_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def find_lesson_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """The lesson files among `paths` (a directory stands for its regular *.md files), and one
    line for each path that holds none: missing, empty of lessons, a FIFO, a device."""
    files: list[Path] = []
    notes: list[str] = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            missing = isinstance(exc, FileNotFoundError)
            notes.append(f"{path}: {'no such file or directory' if missing else f'cannot read: {exc.strerror}'}")
            continue
        if stat.S_ISDIR(mode):
            found = sorted(path.glob("*.md"))     # read_lesson refuses any that is not a regular file
            if not found:
                notes.append(f"{path}: a directory with no lesson files (*.md) in it")
            files.extend(found)
        elif stat.S_ISREG(mode):
            files.append(path)
        else:
            notes.append(f"{path}: not a regular file (a lesson is a Markdown file)")
    return files, notes


def lesson_files(paths: Iterable[Path]) -> list[Path]:
    return find_lesson_files(paths)[0]


def read_lesson(path: Path) -> tuple[Lesson | None, list[Problem]]:
    """Parse one lesson file. Only a regular file of at most MAX_LESSON_BYTES is read: a FIFO
    would block and /dev/zero would never end."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(path, 1, "not a regular file (a lesson is a Markdown file)")]
        if info.st_size > MAX_LESSON_BYTES:
            return None, [Problem(path, 1, f"too large ({info.st_size:,} bytes; a lesson is at most "
                                           f"{MAX_LESSON_BYTES:,})")]
        with open(path, "rb") as handle:
            data = handle.read(MAX_LESSON_BYTES + 1)
    except OSError as exc:
        return None, [Problem(path, 1, f"cannot read: {exc.strerror or exc}")]
    if len(data) > MAX_LESSON_BYTES:
        return None, [Problem(path, 1, f"too large (a lesson is at most {MAX_LESSON_BYTES:,} bytes)")]
    try:
        text = data.decode("utf-8-sig")  # a BOM from some editors is not an error
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, f"not valid UTF-8 ({exc.reason})")]
    from .parser import parse_lesson   # not needed when the course comes from the cache

    return parse_lesson(path, text, _scene_lookup, _exercise_lookup, _measure_lookup)


def _title_guess(path: Path) -> str:
    """A broken lesson's title for the course map, made inert (no control characters)."""
    from tutor.visible import visible

    if not _is_file(path):              # a FIFO would block the open
        return visible(path.stem)
    try:
        with open(path, "rb") as handle:
            head = handle.read(2000).decode("utf-8", errors="replace")
    except OSError:
        return visible(path.stem)
    match = re.search(r"^title:[ \t]*(.+)$", head, re.MULTILINE)
    return visible(match.group(1).strip() if match else path.stem)


def load_course(paths: Iterable[Path]) -> tuple[Course, list[Problem]]:
    """Every lesson that parses, in order; the others as BrokenLesson.

    Cross-file problems (a lesson id or card id used twice) break the later file.
    """
    return load_files(lesson_files(paths))


def load_files(files: Iterable[Path]) -> tuple[Course, list[Problem]]:
    """load_course for a list of lesson files as found (a directory in it is a broken lesson)."""
    lessons: list[Lesson] = []
    broken: list[BrokenLesson] = []
    problems: list[Problem] = []
    lesson_ids: dict[str, Path] = {}
    card_ids: dict[str, Path] = {}
    for path in files:
        lesson, found = read_lesson(path)
        if lesson is not None:
            if lesson.id in lesson_ids:
                found.append(Problem(path, 2, f"lesson id {lesson.id!r} is already used by {lesson_ids[lesson.id].name}"))
            for card in lesson.cards:
                if card.id in card_ids:
                    found.append(Problem(path, card.line, f"duplicate card id {card.id!r} (also in {card_ids[card.id].name})"))
        if found:
            problems.extend(found)
            broken.append(BrokenLesson(path, tuple(found), _title_guess(path)))
            continue
        lesson_ids[lesson.id] = path
        card_ids.update((card.id, path) for card in lesson.cards)
        lessons.append(lesson)
    lessons.sort(key=lambda item: (item.order, item.id))
    return Course(tuple(lessons), tuple(broken)), problems
