"""Cards that test understanding: each answerable from its own lesson or an earlier one, no
give-away blanks, no card asked twice across the course, no exercise generator in more than
two lessons; and the new generators' answers checked against the formulas they teach."""
from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict

import numpy as np
import pytest

import engine
from tutor.exercises import EXERCISES

from .lessons import ALL_IDS, load
from .reading import flat

# Notation a card may use -> the text that introduces it in a lesson's steps. A card may use it
# only if that text appears in its own lesson or an earlier one.
NOTATION = {
    r"QKᵀ": "QKᵀ",
    r"\bd_k\b": "d_k",
    r"softmax": "e^{",                     # the formula, not just the word
    r"\bW_O\b": "W_O",
    r"d_model": "d_model",
    r"\bPE\(": "PE(pos",
    r"LayerNorm|layer norm": "LayerNorm",
    r"x̂": "x̂",
    r"causal mask": "causal mask",
    r"\bbeam\b": "**Beam search**",
    r"\bc_t\b|\bf_t\b|\bi_t\b|\bo_t\b": "c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t",
    r"\bz_t\b|\bn_t\b": "update gate",
    r"\bW_hh\b": "W_hh",
    r"\bW_xh\b": "W_xh",
    r"\bh_t\b|h_\{t": "h_t",
    r"tanh′": "tanh′",
    r"spectral radius": "spectral radius",
    r"cross-entropy": "cross-entropy",
    r"KV cache|key–value cache": "KV cache",
    r"label smoothing": "label smoothing",
    r"warm-?up": "warm-up",
    r"BLEU": "BLEU",
    r"\bquer(y|ies)\b": "**Query**",
    r"\bbigram": "bigram",
    r"receptive field": "receptive field",
    r"e_ij": "e_ij",
    r"α_ij|α_j|\bα = \(": "α_ij",
    r"s_i\b|s_\{i": "s_{i−1}",
    r"<bos>|<eos>": "<bos>",
    r"\bhead(s)?\b": "head",
    r"position code|positional encoding": "position code",
    r"embedding": "embedding",
    r"\bGRU\b": "GRU",
    r"\bLSTM\b": "LSTM",
    r"feed-forward": "feed-forward",
    r"teacher forcing": "teacher forcing",
    r"gradient clipping|clipped": "clipping",
}
SEEDS = range(8)


def lessons_in_order():
    return sorted((load(i) for i in ALL_IDS()), key=lambda lesson: lesson.order)


def step_text(lesson) -> str:
    parts = []
    for s in lesson.steps:
        parts += [s.title, s.body]
        if s.predict:
            parts += [s.predict.question, *s.predict.choices, s.predict.explain]
    return "\n".join(parts)


def card_texts(card) -> list[str]:
    """What a learner reads on a card; for an exercise, several of its generated instances."""
    if card.kind != "exercise":
        return [card.front, card.back, *card.choices, card.answer]
    spec = EXERCISES[card.exercise]
    params = dict(card.params)
    return [t for seed in SEEDS for ex in [spec.generate(params, seed)] for t in (ex.question, ex.explain)]


def introduced_at() -> dict[str, int]:
    """For each notation, the order of the first lesson whose steps introduce it."""
    first = {}
    for lesson in lessons_in_order():
        text = step_text(lesson)
        for pattern, marker in NOTATION.items():
            if pattern not in first and marker in text:
                first[pattern] = lesson.order
    return first


def test_every_notation_is_introduced_somewhere():
    assert set(introduced_at()) == set(NOTATION), set(NOTATION) - set(introduced_at())


@pytest.mark.parametrize("lesson_id", ALL_IDS())
def test_cards_use_only_notation_already_taught(lesson_id):
    lesson, first = load(lesson_id), introduced_at()
    for card in lesson.cards:
        text = "\n".join(card_texts(card))
        for pattern, order in first.items():
            if re.search(pattern, text, re.IGNORECASE if pattern.islower() else 0):
                assert order <= lesson.order, (f"{card.id} uses {pattern!r}, introduced in lesson {order}")


def test_taught_later_is_caught():
    """The check above fails for a card that needs a later lesson (QKᵀ is lesson 7's)."""
    first = introduced_at()
    assert first[r"QKᵀ"] == 7 and first[r"softmax"] <= 6 and first[r"\bd_k\b"] == 7
    assert re.search(r"QKᵀ", "\n".join(card_texts(next(c for c in load("qkv").cards if c.id == "qkv.score-shape"))))


def test_no_exercise_generator_serves_more_than_two_lessons():
    used = defaultdict(set)
    for lesson in lessons_in_order():
        for card in lesson.cards:
            if card.kind == "exercise":
                used[card.exercise].add(lesson.id)
    assert {name: ids for name, ids in used.items() if len(ids) > 2} == {}


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).lower()
    return re.sub(r"[^\w]+", " ", s).strip()


def test_no_card_is_asked_twice_across_the_course():
    seen = {}
    for lesson in lessons_in_order():
        for card in lesson.cards:
            if card.kind == "exercise":
                continue
            key = norm(card.front)
            assert key not in seen, f"{card.id} repeats {seen[key]}"
            seen[key] = card.id


@pytest.mark.parametrize("lesson_id", ALL_IDS())
def test_blanks_do_not_give_themselves_away(lesson_id):
    for card in load(lesson_id).cards:
        if card.kind != "cloze":
            continue
        answers = [a.strip() for a in card.answer.split("|")]
        around = re.sub(r"\{\{.*?\}\}", " ", card.front)
        assert answers[0] not in {"1", "0"}, f"{card.id}: a blank whose answer is {answers[0]}"
        for a in answers:
            assert not re.search(rf"(?<!\w){re.escape(a)}(?!\w)", around), f"{card.id} shows its answer {a!r}"


@pytest.mark.parametrize("lesson_id", ALL_IDS())
def test_choice_questions_do_not_name_their_answer(lesson_id):
    """A word only the right choice has (five letters or more) must not appear in the question,
    unless the question quotes every choice (a word to pick from a sentence)."""
    words = lambda s: set(re.findall(r"\w{5,}", s.lower()))          # noqa: E731
    for card in load(lesson_id).cards:
        if card.kind != "choice" or all(c.lower() in card.front.lower() for c in card.choices):
            continue
        only_right = words(card.answer) - set().union(*(words(c) for c in card.choices if c != card.answer))
        assert not only_right & words(card.front), f"{card.id} names {only_right & words(card.front)}"


# -- the generators added so that no generator serves more than two lessons ----------

@pytest.mark.parametrize("seed", range(12))
def test_new_generators_answer_by_the_formulas_taught(seed):

    nums = lambda s: [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", s)]   # noqa: E731

    ex = EXERCISES["rnn_step_cost"].generate({}, seed)
    I, H = (int(x) for x in nums(ex.question)[:2])
    assert ex.answer == H * H + H * I

    ex = EXERCISES["layer_cost"].generate({}, seed)
    n, d = nums(ex.question.split("With n = ")[1])[:2]
    assert ex.answer == pytest.approx(n / d)

    ex = EXERCISES["head_weights"].generate({}, seed)
    h, n = nums(ex.question)[:2]
    assert ex.answer == h * n * n

    ex = EXERCISES["embedding_params"].generate({}, seed)
    V, d = nums(ex.question)[:2]
    assert ex.answer == (V * d if "are tied" in ex.question else 2 * V * d)

    ex = EXERCISES["ffn_params"].generate({}, seed)
    d, f = nums(ex.question)[:2]
    assert ex.answer == 2 * d * f + d + f

    ex = EXERCISES["kv_cache_size"].generate({}, seed)
    L, d, n = nums(ex.question)[:3]
    assert ex.answer == 2 * L * n * d

    ex = EXERCISES["forget_decay"].generate({}, seed)
    k, f = nums(ex.question)[1:3]
    assert ex.answer == pytest.approx(f ** k, rel=6e-3)

    ex = EXERCISES["context_entry"].generate({}, seed)
    alpha = nums(ex.question.split("α = ")[1].split(")")[0])
    states = np.array([nums(s.split(")")[0]) for s in ex.question.split("= (")[2:]])
    which = int(nums(ex.question.split("What is number ")[1])[0]) - 1
    assert math.isclose(sum(alpha), 1.0, abs_tol=1e-9)
    assert ex.answer == pytest.approx(float(np.array(alpha) @ states[:, which]), abs=2e-3)

    ex = EXERCISES["warmup_lr"].generate({}, seed)
    d, w, step = nums(ex.question.split("d_model = ")[1])[:3]
    lr = d ** -0.5 * min(step ** -0.5, step * w ** -1.5)
    assert ex.answer == pytest.approx(lr * 1e4, rel=6e-3)

    ex = EXERCISES["length_norm"].generate({}, seed)
    length, score, alpha = nums(ex.question)[0], nums(ex.question)[1], nums(ex.question.split("α = ")[1])[0]
    assert ex.answer == pytest.approx(score / length ** alpha, abs=2e-3)
