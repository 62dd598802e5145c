"""The shape every shipped lesson keeps (5–12 steps, a recap, a prediction a scene answers,
at least 8 cards of which a quarter are exercises), and the scenes the curriculum asks of each.

The lessons are found from the files, so a lesson added later is held to the same rules.
"""
from __future__ import annotations

import pytest

from tutor.course import load_course
from tutor.course.rules import course_rules, house_rules
from tutor.paths import lessons_dir

from .lessons import files_by_id, load

# lesson id -> (order, scenes the curriculum asks for)
CURRICULUM = {
    "welcome": (0, set()),
    "before-deep-learning": (1, {"bag_of_words", "cnn_receptive_field"}),
    "rnn": (2, {"rnn_unroll"}),
    "bottleneck": (3, {"sequential_vs_parallel"}),
    "vanishing": (4, {"gradient_decay", "tanh_chart"}),
    "lstm-gru": (5, {"gates", "gradient_flow_compare", "train_long_dependency"}),
    "attention": (6, {"bahdanau_alignment"}),
    "qkv": (7, {"sdpa_steps", "softmax_saturation"}),
    "self-attention": (8, {"self_attention", "permutation", "attention_cost"}),
    "multi-head": (9, {"multi_head"}),
    "positional": (10, {"positional_encoding"}),
    "block": (11, {"layer_norm", "block_flow"}),
    "decoder": (12, {"causal_mask", "cross_attention"}),
    "training": (13, {"train_transformer"}),
    "decoding": (14, {"beam_search"}),
    "why-transformers": (15, {"sequential_vs_parallel"}),
    "language-models": (16, {"language_models", "sampling", "interpretable_cell"}),
}
ALL = sorted(files_by_id())


@pytest.mark.parametrize("lesson_id", sorted(CURRICULUM))
def test_curriculum_lessons_exist_in_order_with_their_scenes(lesson_id):
    lesson = load(lesson_id)
    order, wanted = CURRICULUM[lesson_id]
    assert lesson.order == order
    assert wanted <= {s.scene.id for s in lesson.steps if s.scene}


@pytest.mark.parametrize("lesson_id", ALL)
def test_lesson_keeps_the_house_rules(lesson_id):
    """Steps, words a step, a recap, a prediction, cards and exercises: the rules tutor check applies."""
    lesson = load(lesson_id)
    assert 10 <= lesson.minutes <= 15
    assert [str(p) for p in house_rules(lesson)] == []


def test_the_course_keeps_the_course_rules():
    """Unique orders, and no exercise generator asked in more than two lessons."""
    course, problems = load_course([lessons_dir()])
    assert problems == [] and [str(p) for p in course_rules(course.lessons)] == []


@pytest.mark.parametrize("lesson_id", ALL)
def test_formulas_are_unicode_not_latex(lesson_id):
    raw = (lessons_dir() / files_by_id()[lesson_id]).read_text(encoding="utf-8")
    for latex in ("$", "\\(", "\\[", "\\frac", "\\sqrt", "\\text"):
        assert latex not in raw, f"LaTeX {latex!r} in {lesson_id}"


@pytest.mark.parametrize("lesson_id", ALL)
def test_lesson_asks_a_prediction_that_a_scene_answers(lesson_id):
    """At least one prediction is revealed by the engine: its step (or the next one) shows a scene."""
    steps = load(lesson_id).steps
    assert any(s.predict for s in steps)
    if lesson_id == "welcome":
        return                                               # its prediction is about the app's keys
    assert any(step.predict and (step.scene or (k + 1 < len(steps) and steps[k + 1].scene))
               for k, step in enumerate(steps))


@pytest.mark.parametrize("lesson_id", ALL)
def test_lesson_cards_are_mixed_and_namespaced(lesson_id):
    cards = load(lesson_id).cards
    assert len({c.kind for c in cards}) >= 3
    assert all(c.id.startswith(f"{lesson_id}.") for c in cards)


def test_orders_and_card_ids_are_unique_across_the_course():
    course, problems = load_course([lessons_dir()])
    assert problems == [], [str(p) for p in problems]
    orders = [load(i).order for i in ALL]
    assert len(orders) == len(set(orders))
    ids = [card.id for card in course.cards()]
    assert len(ids) == len(set(ids))
