"""Shared helpers of the per-lesson tests: find a shipped lesson by id and read what a learner reads."""
from __future__ import annotations

from functools import lru_cache

from tutor.course import read_lesson
from tutor.paths import lessons_dir

from .reading import learner_text, step_learner_text



@lru_cache(maxsize=None)
def files_by_id() -> dict[str, str]:
    """lesson id -> file name, for every shipped lesson (derived from the files, not listed)."""
    found = {}
    for path in sorted(lessons_dir().glob("*.md")):
        lesson, _ = read_lesson(path)
        if lesson is not None:
            found[lesson.id] = path.name
    return found


def load(lesson_id: str):
    lesson, problems = read_lesson(lessons_dir() / files_by_id()[lesson_id])
    assert problems == [], [str(p) for p in problems]
    return lesson


def text(lesson_id: str) -> str:
    return learner_text(load(lesson_id))


def step_text(lesson_id: str, title: str) -> str:
    return step_learner_text(load(lesson_id), title)


def step(lesson_id: str, title: str):
    return next(s for s in load(lesson_id).steps if s.title == title)


def scenes(lesson_id: str) -> list[tuple[str, dict]]:
    return [(s.scene.id, s.scene.values) for s in load(lesson_id).steps if s.scene]


def predicted(lesson_id: str, question_part: str) -> str:
    """The answer a lesson's prediction reveals, found by a piece of its question."""
    found = next(s for s in load(lesson_id).steps if s.predict and question_part in s.predict.question)
    return found.predict.choices[found.predict.answer]


def card(lesson_id: str, card_id: str):
    return next(c for c in load(lesson_id).cards if c.id == card_id)


def num(x: float, digits: int = 3) -> str:
    """A number the way lessons print it: fixed decimals, a true minus sign."""
    return f"{x:.{digits}f}".replace("-", "−")


def grouped(n: int) -> str:
    return f"{n:,}"


def ALL_IDS() -> list[str]:
    """Every shipped lesson id, sorted."""
    return sorted(files_by_id())
