"""Checking typed answers, leniently: case, spacing and Unicode forms do not matter.

A verdict is right, wrong, empty (nothing typed) or invalid (the wrong kind of
answer, e.g. text where a number is expected, or longer than MAX_LENGTH).
Invalid and empty answers are not graded: the learner is told why and may
answer again. Formulas compare by meaning (tutor/quiz/formula.py). Every
check is linear in the length of the text, and the text is capped first.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from .meaning import is_formula, same_meaning
from .numbers import (SAME, AnswerError, Status, Verdict, check_number, is_number, parse_number,  # noqa: F401
                      too_long, within)

MAX_DIGITS = 18         # a shape's sizes; int() of thousands of digits is refused by Python


def normalize(text: str) -> str:
    """Text for lenient comparison: NFKC, case-folded, no whitespace, no final full stop."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join(folded.translate(SAME).split()).rstrip(".")


def parse_shape(text: str) -> tuple[int, ...]:
    """A shape from typed text: 7×7, 7x7, (7, 7), [7, 7], 7 by 7, 7*7."""
    too_long(text)
    t = unicodedata.normalize("NFKC", text).strip().lower()
    if t[:1] in "([" and t[-1:] in ")]":
        t = t[1:-1].strip()
    t = t.rstrip(",").strip()
    parts = [p.strip() for p in re.split(r"×|x|\*|,|\bby\b", t)]
    if not t or not all(p.isascii() and p.isdigit() for p in parts):
        raise AnswerError("is not a shape: type it like 7×7, 7x7 or (7, 7)")
    if any(len(p.lstrip("0")) > MAX_DIGITS for p in parts):
        raise AnswerError("has a size too large for a shape: type it like 7×7, 7x7 or (7, 7)")
    return tuple(int(p) for p in parts)


def show_shape(shape: Sequence[int]) -> str:
    return "×".join(str(n) for n in shape)


def check_text(given: str, alternatives: Sequence[str]) -> Verdict:
    """A cloze blank: right if it matches any alternative leniently, equals it as a number,
    or, where the alternative is a formula, means the same (tutor/quiz/formula.py)."""
    if not given.strip():
        return Verdict("empty")
    try:
        too_long(given)
    except AnswerError as exc:
        return Verdict("invalid", str(exc))
    want = {normalize(a) for a in alternatives}
    if normalize(given) in want:
        return Verdict("right")
    try:
        number = parse_number(given)
        if any(within(number, parse_number(a), 1e-9) for a in alternatives if is_number(a)):
            return Verdict("right")
    except AnswerError:
        pass
    if any(is_formula(a) and same_meaning(given, a) for a in alternatives):
        return Verdict("right")
    return Verdict("wrong")


def check_shape(given: str, answer: Sequence[int]) -> Verdict:
    if not given.strip():
        return Verdict("empty")
    try:
        shape = parse_shape(given)
    except AnswerError as exc:
        return Verdict("invalid", str(exc))
    return Verdict("right" if shape == tuple(answer) else "wrong")


def check_answer(given: str, answer: float | str, tolerance: float = 0.0) -> Verdict:
    """An exercise answer: a number (to a tolerance), a shape such as '7×7', or text."""
    if isinstance(answer, str):
        try:
            shape = parse_shape(answer)
        except AnswerError:
            return check_text(given, [answer])
        return check_shape(given, shape)
    if isinstance(answer, float) and not math.isfinite(answer):
        raise ValueError(f"an exercise answer must be finite, got {answer}")
    return check_number(given, answer, tolerance)


