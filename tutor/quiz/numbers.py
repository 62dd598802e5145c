"""Numbers typed by a learner: parsed leniently, checked to a tolerance, never evaluated.

No NumPy here: the lesson parser validates a numeric prediction's tolerance
with `parse_tolerance`, and the lesson screen grades it with `check_estimate`.
Every parse is linear in the length of the text, and the text is capped first.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

MAX_LENGTH = 200        # longer typed answers are refused before any parsing

Status = Literal["right", "wrong", "empty", "invalid"]

SAME = str.maketrans({
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


def _numeric_text(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).translate(SAME).strip()
    t = t.lstrip("=≈~").strip()
    t = re.sub(r"(?<=\d)[\s_'](?=\d{3}\b)", "", t)              # 1 234 567, 1_234, 1'234
    if re.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", t):       # 1,234,567.5
        t = t.replace(",", "")
    elif t.count(",") == 1 and "." not in t:                    # 0,25 (decimal comma)
        t = t.replace(",", ".")
    return t


# unambiguous (digits, then an optional fraction), so a failed match costs linear time
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?"


def too_long(text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"is too long ({len(text):,} characters): answers are at most {MAX_LENGTH}")


def parse_number(text: str) -> float:
    """A finite number from typed text: 1234, 1,234, -0.25, 0,25, 2.5e-3, 3/4."""
    too_long(text)
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


def within(given: float, answer: float, tolerance: float) -> bool:
    """|given − answer| ≤ tolerance·max(1, |answer|), with a little room for float noise."""
    return abs(given - answer) <= tolerance * max(1.0, abs(answer)) + 1e-12 * max(1.0, abs(answer))


def check_number(given: str, answer: float, tolerance: float) -> Verdict:
    if not given.strip():
        return Verdict("empty")
    try:
        number = parse_number(given)
    except AnswerError as exc:
        return Verdict("invalid", str(exc))
    return Verdict("right" if within(number, float(answer), tolerance) else "wrong")


@dataclass(frozen=True)
class Tolerance:
    """How close an estimate must come: `exact`, `absolute 0.5`, `relative 10%`, `order of magnitude`."""
    kind: Literal["absolute", "relative", "order"]
    amount: float = 0.0

    def accepts(self, given: float, truth: float) -> bool:
        if self.kind == "order":         # within a factor of √10 either way: the same power of ten, rounded
            if given == 0 or truth == 0 or (given > 0) != (truth > 0):
                return given == truth
            return abs(math.log10(given / truth)) <= 0.5 + 1e-12
        room = self.amount * abs(truth) if self.kind == "relative" else self.amount
        return abs(given - truth) <= room + 1e-9 * max(1.0, abs(truth))

    def describe(self) -> str:
        if self.kind == "order":
            return "within a factor of 3 either way"
        if self.kind == "relative":
            return f"within {self.amount * 100:g}%"
        return "the exact value" if self.amount == 0 else f"within ±{self.amount:g}"


def parse_tolerance(text: str) -> Tolerance:
    """A tolerance from a lesson's `tolerance:` line; ValueError says what is accepted."""
    words = text.strip().lower().split()
    try:
        if words == ["exact"]:
            return Tolerance("absolute", 0.0)
        if words in (["order", "of", "magnitude"], ["order"]):
            return Tolerance("order")
        if len(words) == 2 and words[0] in ("absolute", "relative"):
            percent = words[1].endswith("%")
            amount = float(words[1].rstrip("%")) / (100 if percent else 1)
            if math.isfinite(amount) and amount >= 0 and (words[0] == "absolute" or 0 < amount < 1):
                return Tolerance(words[0], amount)
    except ValueError:
        pass
    raise ValueError(f"tolerance must be 'exact', 'absolute X', 'relative X%' or 'order of magnitude', "
                     f"got {text.strip()!r}")


def check_estimate(given: str, truth: float, tolerance: Tolerance) -> Verdict:
    """A numeric prediction against the engine's value."""
    if not given.strip():
        return Verdict("empty")
    try:
        number = parse_number(given)
    except AnswerError as exc:
        return Verdict("invalid", str(exc))
    return Verdict("right" if tolerance.accepts(number, float(truth)) else "wrong")


def is_number(text: str) -> bool:
    try:
        parse_number(text)
    except AnswerError:
        return False
    return True
