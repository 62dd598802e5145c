"""The shipped course covers the curriculum's lessons, in order, each with a scene and cards.

The expected list is fixed here, so the test never passes silently on a course
that lost a lesson. When the syllabus (shared/curriculum.md, beside the
repository) is present, its `## N. Title` headings must match that list too.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.course import load_course
from tutor.paths import lessons_dir

# (order, lesson id, the curriculum's heading for it)
EXPECTED = [
    (0, "welcome", "Welcome"),
    (1, "before-deep-learning", "Before deep learning"),
    (2, "rnn", "Recurrent neural networks"),
    (3, "bottleneck", "The sequential bottleneck"),
    (4, "vanishing", "Backpropagation through time, vanishing and exploding gradients"),
    (5, "lstm-gru", "LSTM and GRU"),
    (6, "attention", "Attention: looking back"),
    (7, "qkv", "Queries, keys and values; scaled dot-product attention"),
    (8, "self-attention", "Self-attention"),
    (9, "multi-head", "Multi-head attention"),
    (10, "positional", "Embeddings and positional encoding"),
    (11, "block", "The Transformer block"),
    (12, "decoder", "The decoder"),
    (13, "training", "Training a Transformer"),
    (14, "decoding", "Inference: greedy and beam search"),
    (15, "why-transformers", "Why Transformers won"),
    (16, "language-models", "Capstone (lesson 16): same text, four models"),
]
CURRICULUM = Path(__file__).resolve().parents[2].parent / "shared" / "curriculum.md"
MIN_CARDS = 8


@pytest.fixture(scope="module")
def course():
    course, problems = load_course([lessons_dir()])
    assert problems == [], [str(p) for p in problems]
    return course


def test_course_follows_the_curriculum_in_order(course):
    assert [(lesson.order, lesson.id) for lesson in course.lessons] == [(o, i) for o, i, _ in EXPECTED]


@pytest.mark.skipif(not CURRICULUM.is_file(), reason=f"{CURRICULUM} is not beside the repository")
def test_expected_list_matches_the_syllabus():
    text = CURRICULUM.read_text(encoding="utf-8")
    headings = [(int(n), title.strip()) for n, title in re.findall(r"^## (\d+)\. (.+)$", text, re.MULTILINE)]
    headings += [(int(n), f"Capstone (lesson {n}): {title.strip()}")
                 for n, title in re.findall(r"^## Capstone \(lesson (\d+)\): (.+)$", text, re.MULTILINE)]
    assert headings == [(o, title) for o, _, title in EXPECTED]


@pytest.mark.parametrize("order, lesson_id", [(o, i) for o, i, _ in EXPECTED])
def test_every_lesson_has_a_scene_and_cards(course, order, lesson_id):
    lesson = course.find(lesson_id)
    assert lesson is not None, f"lesson {order} ({lesson_id}) is missing"
    assert lesson.order == order
    assert any(step.scene for step in lesson.steps), f"{lesson_id} shows no scene"
    assert len(lesson.cards) >= MIN_CARDS, f"{lesson_id} has {len(lesson.cards)} cards"


def test_card_ids_are_unique_across_the_course(course):
    ids = [card.id for card in course.cards()]
    assert len(ids) == len(set(ids))
