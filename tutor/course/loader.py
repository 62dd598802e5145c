"""Load the course from lesson files, keeping broken lessons as data."""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from .model import BrokenLesson, Course, Lesson, Problem


def _scene_lookup(ident: str):
    from tutor.scenes.registry import SCENES

    spec = SCENES.get(ident)
    return None if spec is None else {p.name: p for p in spec.params}


def _exercise_lookup(ident: str):
    from tutor.exercises import EXERCISES

    spec = EXERCISES.get(ident)
    return None if spec is None else {p.name: p for p in spec.params}


def lesson_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.md")) if path.is_dir() else [path])
    return files


def read_lesson(path: Path) -> tuple[Lesson | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # a BOM from some editors is not an error
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, f"not valid UTF-8 ({exc.reason})")]
    except OSError as exc:
        return None, [Problem(path, 1, f"cannot read: {exc.strerror or exc}")]
    from .parser import parse_lesson   # not needed when the course comes from the cache

    return parse_lesson(path, text, _scene_lookup, _exercise_lookup)


def _title_guess(path: Path) -> str:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return path.stem
    match = re.search(r"^title:\s*(.+)$", head, re.MULTILINE)
    return match.group(1).strip() if match else path.stem


def load_course(paths: Iterable[Path]) -> tuple[Course, list[Problem]]:
    """Every lesson that parses, in order; the others as BrokenLesson.

    Cross-file problems (a lesson id or card id used twice) break the later file.
    """
    lessons: list[Lesson] = []
    broken: list[BrokenLesson] = []
    problems: list[Problem] = []
    lesson_ids: dict[str, Path] = {}
    card_ids: dict[str, Path] = {}
    for path in lesson_files(paths):
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
