"""A card as it is shown once: the question, what the learner answers with, and the answer.

Exercise cards are generated afresh for every showing from a seed (the card
id, and so its schedule, stays the same); choices are shuffled with the same
seed so the learner cannot remember a position instead of an answer.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from tutor.course import Card
from tutor.course.blocks import CLOZE_RE
from tutor.exercises import EXERCISES, Exercise

from .check import Verdict, check_answer, check_text

Mode = Literal["flip", "choice", "typed", "unavailable"]
BLANK = "_____"
KIND_NAMES = {"flip": "recall", "choice": "multiple choice", "cloze": "fill the blank",
              "exercise": "exercise"}


@dataclass(frozen=True)
class Shown:
    card: Card
    mode: Mode
    question: str
    answer: str                        # the right answer, as revealed
    seed: int
    choices: tuple[str, ...] = ()      # shuffled, for mode == "choice"
    alternatives: tuple[str, ...] = () # accepted answers of a cloze
    back: str = ""                     # explanation shown with the answer
    note: str = ""
    exercise: Exercise | None = None

    @property
    def right_choice(self) -> int:
        return self.choices.index(self.answer)

    def check(self, given: str) -> Verdict:
        """Check a typed answer (cloze and exercise cards)."""
        if self.exercise is not None:
            return check_answer(given, self.exercise.answer, self.exercise.tolerance)
        return check_text(given, self.alternatives)

    def check_choice(self, index: int) -> Verdict:
        return Verdict("right" if index == self.right_choice else "wrong")


def cloze_alternatives(card: Card) -> tuple[str, ...]:
    return tuple(a.strip() for a in card.answer.split("|") if a.strip())


def present(card: Card, seed: int) -> Shown:
    """How `card` is shown this time; an exercise that cannot be generated says why."""
    if card.kind == "flip":
        return Shown(card, "flip", card.front, card.back, seed)
    if card.kind == "choice":
        choices = list(card.choices)
        random.Random(seed).shuffle(choices)
        return Shown(card, "choice", card.front, card.answer, seed, tuple(choices), back=card.back)
    if card.kind == "cloze":
        alternatives = cloze_alternatives(card)
        return Shown(card, "typed", CLOZE_RE.sub(BLANK, card.front, count=1), alternatives[0], seed,
                     alternatives=alternatives,
                     back=_join(CLOZE_RE.sub(alternatives[0], card.front, count=1), card.back))
    return _exercise(card, seed)


def _exercise(card: Card, seed: int) -> Shown:
    spec = EXERCISES.get(card.exercise)
    try:
        if spec is None:
            raise LookupError(f"no exercise {card.exercise!r} in this version of the tutor")
        exercise = spec.generate(dict(card.params), seed)
    except Exception as exc:  # a generator bug or an engine part still missing must not end the quiz
        return Shown(card, "unavailable", f"This exercise could not be generated: {type(exc).__name__}: {exc}",
                     "", seed)
    return Shown(card, "typed", exercise.question, show_answer(exercise.answer), seed,
                 back=exercise.explain, note="Fresh numbers each time this card comes up.",
                 exercise=exercise)


def show_answer(answer: float | str) -> str:
    if isinstance(answer, str):
        return answer
    if float(answer).is_integer():
        return f"{int(answer)}"
    return f"{float(answer):.6g}"


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)
