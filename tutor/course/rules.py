"""The course's house rules, checked by `tutor check` on any lesson file.

Shape rules (steps, words, recap, predictions, cards, a unique order) are
warnings by default and errors under `tutor check --strict`; the shipped
lessons keep them all. Control characters are always an error: the parser
refuses such a file (`control_problems`), so its text never reaches a
terminal. Tests import these constants instead of keeping their own.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from .model import Lesson, Problem

MIN_STEPS, MAX_STEPS = 5, 12
MAX_STEP_WORDS = 130         # a step's prose must stay readable in the text pane at 80×24
RECAP_TITLE = "Recap"        # the last step
MIN_RECAP_POINTS = 3         # bullet points in the recap
MIN_PREDICTIONS = 1
MIN_CARDS = 8
MIN_EXERCISE_SHARE = 0.25    # of the cards
MAX_LESSONS_PER_EXERCISE = 2  # an exercise generator asked in more lessons is the same card again


def step_words(text: str) -> int:
    return len(text.split())


def house_rules(lesson: Lesson) -> list[Problem]:
    """Every breach of the shape rules in one parsed lesson, each at a line."""
    path, out = lesson.path, []
    first = lesson.steps[0].line if lesson.steps else 1
    if not MIN_STEPS <= len(lesson.steps) <= MAX_STEPS:
        out.append(Problem(path, first, f"{len(lesson.steps)} steps: a lesson has {MIN_STEPS} to {MAX_STEPS}"))
    for step in lesson.steps:
        words = step_words(step.body)
        if words > MAX_STEP_WORDS:
            out.append(Problem(path, step.line, f"step {step.title!r} has {words} words: at most "
                                                f"{MAX_STEP_WORDS} fit the text pane at 80×24"))
    last = lesson.steps[-1] if lesson.steps else None
    if last is None or last.title != RECAP_TITLE:
        out.append(Problem(path, last.line if last else first, f"the last step should be a {RECAP_TITLE!r}"))
    elif last.body.count("\n- ") + last.body.startswith("- ") < MIN_RECAP_POINTS:
        out.append(Problem(path, last.line, f"the recap should list at least {MIN_RECAP_POINTS} points ('- ' lines)"))
    predictions = sum(step.predict is not None for step in lesson.steps)
    if predictions < MIN_PREDICTIONS:
        out.append(Problem(path, first, "no prediction: ask the learner to commit before a scene reveals"))
    cards_at = lesson.cards[0].line - 1 if lesson.cards else (last.line if last else first)
    if lesson.orientation:              # its cards are a one-time run-through, not recall to schedule
        return out
    if len(lesson.cards) < MIN_CARDS:
        out.append(Problem(path, cards_at, f"{len(lesson.cards)} cards: a lesson has at least {MIN_CARDS}"))
    exercises = sum(card.kind == "exercise" for card in lesson.cards)
    if lesson.cards and exercises < MIN_EXERCISE_SHARE * len(lesson.cards):
        out.append(Problem(path, cards_at, f"{exercises} of {len(lesson.cards)} cards are exercises: "
                                           f"at least a quarter should be"))
    return out


def course_rules(lessons: Iterable[Lesson]) -> list[Problem]:
    """Breaches across lessons: an `order` used twice, an exercise generator in more than
    MAX_LESSONS_PER_EXERCISE lessons (each reported on the later file)."""
    seen: dict[int, Lesson] = {}
    users: dict[str, list[Lesson]] = {}
    out = []
    for lesson in sorted(lessons, key=lambda item: str(item.path)):
        if lesson.order in seen:
            out.append(Problem(lesson.path, _front_line(lesson, "order"),
                               f"order {lesson.order} is also used by {seen[lesson.order].path.name}"))
        seen.setdefault(lesson.order, lesson)
        for card in lesson.cards:
            if card.kind != "exercise" or lesson in users.setdefault(card.exercise, []):
                continue
            users[card.exercise].append(lesson)
            if len(users[card.exercise]) > MAX_LESSONS_PER_EXERCISE:
                earlier = ", ".join(item.path.name for item in users[card.exercise][:-1])
                out.append(Problem(lesson.path, card.line, f"exercise {card.exercise!r} is already asked in "
                                                           f"{earlier}: use each generator in at most "
                                                           f"{MAX_LESSONS_PER_EXERCISE} lessons"))
    return out


def _front_line(lesson: Lesson, key: str) -> int:
    try:
        with open(lesson.path, encoding="utf-8", errors="replace") as handle:
            for n, line in enumerate(handle, 1):
                if re.match(rf"{key}\s*:", line):
                    return n
                if n > 50:
                    break
    except OSError:
        pass
    return 1


def control_name(ch: str) -> str:
    names = {"\x1b": "ESC", "\r": "carriage return", "\x07": "BEL", "\x08": "backspace", "\x00": "NUL",
             "\x7f": "DEL", "\x9b": "CSI", "\x9d": "OSC", "\x0c": "form feed"}
    return f"U+{ord(ch):04X}" + (f" ({names[ch]})" if ch in names else "")


# C0 but newline and tab, a carriage return not ending a line, DEL, C1
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


def control_problems(path, text: str) -> list[Problem]:
    """Every line holding a control character: escape sequences that would rename the
    window, clear the screen or write the clipboard (OSC 52) if the text were drawn."""
    out, last, line, at = [], 0, 1, 0
    for match in CONTROL_RE.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        if line != last:
            out.append(Problem(path, line, f"control character {control_name(match.group())}: lesson text "
                                           "may not contain terminal control characters"))
            last = line
    return out
