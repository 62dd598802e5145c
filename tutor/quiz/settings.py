"""Quiz settings, kept in the store's settings table; a bad stored value falls back to the default."""
from __future__ import annotations

from dataclasses import dataclass

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


def parse_new_per_day(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"new cards per day must be a whole number, got {text!r}") from None
    low, high = NEW_PER_DAY_RANGE
    if not low <= value <= high:
        raise ValueError(f"new cards per day must lie between {low} and {high}, got {value}")
    return value


def parse_retention(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"desired retention must be a number like 0.9, got {text!r}") from None
    low, high = RETENTION_RANGE
    if not low <= value <= high:
        raise ValueError(f"desired retention must lie between {low:g} and {high:g}, got {value:g}")
    return value


def parse_bool(text: str) -> bool:
    if text.lower() in ("on", "true", "yes", "1"):
        return True
    if text.lower() in ("off", "false", "no", "0"):
        return False
    raise ValueError(f"expected on or off, got {text!r}")


def _read(store, key, parse, default):
    raw = store.setting(key)
    if raw is None:
        return default
    try:
        return parse(raw)
    except ValueError:
        return default
