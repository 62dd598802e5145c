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
from dataclasses import dataclass
from typing import Literal

from .formula import MAX_LENGTH, is_formula, same_meaning

Status = Literal["right", "wrong", "empty", "invalid"]

_SAME = str.maketrans({
    "−": "-", "–": "-", "—": "-", "‐": "-", "‑": "-",        # minus and dashes
    "‘": "'", "’": "'", "′": "'", "“": '"', "”": '"',
    "⋅": "·", "∙": "·", "•": "·", "*": "·",                      # multiplication dots
})


@dataclass(frozen=True)
class Verdict:
    status: Status
    message: str = ""

    @property
    def graded(self) -> bool:
        return self.status in ("right", "wrong")

    @property
    def right(self) -> bool:
        return self.status == "right"


class AnswerError(ValueError):
    """Typed text that is not the kind of answer expected; the message says what is."""


def normalize(text: str) -> str:
    """Text for lenient comparison: NFKC, case-folded, no whitespace, no final full stop."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return "".join(folded.translate(_SAME).split()).rstrip(".")


def _numeric_text(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(_SAME).strip()
    t = t.lstrip("=≈~").strip()
    t = re.sub(r"(?<=\d)[\s_'](?=\d{3}\b)", "", t)              # 1 234 567, 1_234, 1'234
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", t):       # 1,234,567.5
        t = t.replace(",", "")
    elif t.count(",") == 1 and "." not in t:                    # 0,25 (decimal comma)
        t = t.replace(",", ".")
    return t


# unambiguous (digits, then an optional fraction), so a failed match costs linear time
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?"
MAX_DIGITS = 18         # a shape's sizes; int() of thousands of digits is refused by Python


def _too_long(text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"is too long ({len(text):,} characters): answers are at most {MAX_LENGTH}")


def parse_number(text: str) -> float:
    """A finite number from typed text: 1234, 1,234, -0.25, 0,25, 2.5e-3, 3/4."""
    _too_long(text)
    t = _numeric_text(text).lower()
    value = None
    if re.fullmatch(_NUMBER, t):
        value = float(t)
    elif (fraction := re.fullmatch(rf"({_NUMBER})\s*/\s*({_NUMBER})", t)) and float(fraction.group(2)) != 0:
        value = float(fraction.group(1)) / float(fraction.group(2))
    if value is None:
        raise AnswerError("is not a number: type a number such as 0.25, -3 or 1234")
    if not math.isfinite(value):  # 1e400 reads as inf: out of range, not a wrong answer
        raise AnswerError("is out of range: type a number such as 0.25, -3 or 1234")
    return value


def parse_shape(text: str) -> tuple[int, ...]:
    """A shape from typed text: 7×7, 7x7, (7, 7), [7, 7], 7 by 7, 7*7."""
    _too_long(text)
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


def within(given: float, answer: float, tolerance: float) -> bool:
    """|given − answer| ≤ tolerance·max(1, |answer|), with a little room for float noise."""
    return abs(given - answer) <= tolerance * max(1.0, abs(answer)) + 1e-12 * max(1.0, abs(answer))


def check_text(given: str, alternatives: Sequence[str]) -> Verdict:
    """A cloze blank: right if it matches any alternative leniently, equals it as a number,
    or, where the alternative is a formula, means the same (tutor/quiz/formula.py)."""
    if not given.strip():
        return Verdict("empty")
    try:
        _too_long(given)
    except AnswerError as exc:
        return Verdict("invalid", str(exc))
    want = {normalize(a) for a in alternatives}
    if normalize(given) in want:
        return Verdict("right")
    try:
        number = parse_number(given)
        if any(within(number, parse_number(a), 1e-9) for a in alternatives if _is_number(a)):
            return Verdict("right")
    except AnswerError:
        pass
    if any(is_formula(a) and same_meaning(given, a) for a in alternatives):
        return Verdict("right")
    return Verdict("wrong")


def check_number(given: str, answer: float, tolerance: float) -> Verdict:
    if not given.strip():
        return Verdict("empty")
    try:
        number = parse_number(given)
    except AnswerError as exc:
        return Verdict("invalid", str(exc))
    return Verdict("right" if within(number, float(answer), tolerance) else "wrong")


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


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except AnswerError:
        return False
    return True
