"""What a learner reads in a lesson, as plain text, for tests that quote lessons."""
from __future__ import annotations


def flat(s: str) -> str:
    """Text with every run of whitespace (line breaks included) as one space."""
    return " ".join(s.split())


def _predict_text(step) -> list[str]:
    p = step.predict
    return [p.question, *p.choices, p.explain] if p else []


def learner_text(lesson) -> str:
    """Everything a learner reads in the lesson (steps, predictions, cards), whitespace collapsed."""
    parts = []
    for step in lesson.steps:
        parts += [step.title, step.body, *_predict_text(step)]
    for card in lesson.cards:
        parts += [card.front, card.back, *card.choices, card.answer]
    return flat("\n".join(parts))


def step_learner_text(lesson, title: str) -> str:
    """The body and prediction of the step with this title, whitespace collapsed."""
    step = next(s for s in lesson.steps if s.title == title)
    return flat("\n".join([step.body, *_predict_text(step)]))
