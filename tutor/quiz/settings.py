"""Quiz settings, kept in the store's settings table; a bad stored value falls back to the default."""
from __future__ import annotations

from dataclasses import dataclass

from tutor.params import Param

NEW_PER_DAY, RETENTION, FUZZ = "quiz.new_per_day", "quiz.retention", "quiz.fuzz"
NEW_PER_DAY_RANGE = (0, 1000)       # what parse_new_per_day accepts
RETENTION_RANGE = (0.7, 0.99)       # what parse_retention accepts


@dataclass(frozen=True)
class QuizSettings:
    """What the learner chose for quizzes (the settings screen, tutor quiz --retention)."""
    new_per_day: int = 20        # new cards introduced per day, across all lessons
    retention: float = 0.9       # the chance of recall FSRS schedules for
    fuzz: bool = True            # spread due dates a little (off in tests)

    @classmethod
    def load(cls, store) -> "QuizSettings":
        default = cls()
        return cls(_read(store, NEW_PER_DAY, parse_new_per_day, default.new_per_day),
                   _read(store, RETENTION, parse_retention, default.retention),
                   _read(store, FUZZ, parse_bool, default.fuzz))

    def save(self, store) -> None:
        store.set_setting(NEW_PER_DAY, str(self.new_per_day))
        store.set_setting(RETENTION, str(self.retention))
        store.set_setting(FUZZ, "on" if self.fuzz else "off")


NEW_PER_DAY_PARAM = Param("new cards per day", "int", 20, min=NEW_PER_DAY_RANGE[0], max=NEW_PER_DAY_RANGE[1])
RETENTION_PARAM = Param("desired retention", "float", 0.9, min=RETENTION_RANGE[0], max=RETENTION_RANGE[1],
                        step=0.01)
FUZZ_PARAM = Param("fuzz", "bool", True)


def _parse(param: Param, text: str):
    """Typed text through the parameter's own parser, as a scene control or a lesson is read."""
    try:
        return param.parse(text)
    except OverflowError:            # a whole number too large to show: out of range all the same
        raise ValueError(f"{param.name}: must lie between {param.min:g} and {param.max:g}") from None


def parse_new_per_day(text: str) -> int:
    return _parse(NEW_PER_DAY_PARAM, text)


def parse_retention(text: str) -> float:
    return _parse(RETENTION_PARAM, text)


def parse_bool(text: str) -> bool:
    return _parse(FUZZ_PARAM, text)


def _read(store, key, parse, default):
    raw = store.setting(key)
    if raw is None:
        return default
    try:
        return parse(raw)
    except ValueError:
        return default
