"""Every lesson is written in the course's own words: no sentence is copied from the sources.

The source documents the course was written from sit beside the repository
(../shared/sources). A lesson may use their facts, never their sentences: no
run of 8 words may be shared with a source. Formulas (anything inside
backticks, or a token with =, ^, /, ·, √, braces, _ or a call) and the
curriculum's own example sentences are left out of the comparison.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.course import load_course, read_lesson
from tutor.paths import lessons_dir

from .reading import learner_text

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "sources"
LESSONS = sorted(path.name for path in lessons_dir().glob("*.md"))
# The example sentences the curriculum asks the lessons to use, word for word.
EXAMPLES = ("The animal didn't cross the street because it was tired",
            "The cat that the dog chased was black", "Attention Is All You Need",
            "The dog that I saw at the park with my friend who lives in Brooklyn was",
            "The cat, which had been sleeping on the warm windowsill all afternoon, suddenly jumped")
N = 8
FORMULA = re.compile(r"[=^/·√{}_]|\w\(")   # a token that is part of a formula, not of prose


def words(s: str) -> list[str]:
    return re.findall(r"[a-z0-9²]+", s.lower())


@pytest.fixture(scope="module")
def source_grams() -> set[tuple[str, ...]]:
    grams = set()
    for source in SHARED.iterdir():
        w = words(source.read_text(encoding="utf-8", errors="replace"))
        grams.update(tuple(w[i:i + N]) for i in range(len(w) - N + 1))
    return grams


def test_every_lesson_is_covered():
    course, problems = load_course([lessons_dir()])
    assert problems == [] and LESSONS
    assert LESSONS == sorted(lesson.path.name for lesson in course.lessons)


@pytest.mark.skipif(not SHARED.is_dir(), reason="the source documents are not beside the repository")
@pytest.mark.parametrize("name", LESSONS)
def test_no_sentence_is_copied_from_the_sources(name, source_grams):
    """No run of 8 words is shared with a source, formulas and the required
    example sentences aside."""
    lesson, problems = read_lesson(lessons_dir() / name)
    assert problems == [], [str(p) for p in problems]
    text = re.sub(r"`[^`]*`", " | ", learner_text(lesson))
    text = " ".join("|" if FORMULA.search(token) else token for token in text.split())
    for example in EXAMPLES:
        text = text.replace(example, " | ")
    shared = set()
    for piece in text.split("|"):
        w = words(piece)
        shared.update(" ".join(w[i:i + N]) for i in range(len(w) - N + 1) if tuple(w[i:i + N]) in source_grams)
    assert not shared, shared
